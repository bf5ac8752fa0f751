import { ok } from "@strata/errors";
import type { retrieverV1 } from "@strata/proto";
import { z } from "zod";
import { done, listEveryPage, type OwningServices } from "../adapters/grpc/owning-services.js";
import type { ActContext, ResourceKind, Spec } from "../domain/ports.js";

/** One of: a text the retriever's feature embeds, a vector, or a stored document's vector. */
const query = z.union([
  z.strictObject({ text: z.string().min(1) }),
  z.strictObject({ vector: z.array(z.number()).min(1) }),
  z.strictObject({
    document: z.strictObject({ document_id: z.string().min(1), collection: z.string().default("") }),
  }),
]);

const schema = z.strictObject({
  description: z.string().max(1024).default(""),
  /** The retriever's name (the manifest never names ids). */
  retriever: z.string().min(1),
  query,
  score_threshold: z.number(),
  active: z.boolean().default(true),
});

type AlertSpec = z.infer<typeof schema>;

/**
 * Alerts (acl-query's AlertService): a retriever named by name, a query and a threshold. An alert
 * carries no secret; every field, the retriever included, is changed in place; only a change of
 * its retriever's feature space has it deleted and created again around that change.
 */
export function alertKind(services: OwningServices): ResourceKind {
  const client = services.alert;
  return {
    section: "alerts",
    order: 50,
    schema,
    replaceReason: () => undefined,
    references: (spec) => [
      { section: "retrievers", name: (spec as AlertSpec).retriever, field: "retriever" },
    ],
    // acl-query keeps a retriever in its feature space while alerts hold vectors in it: a retriever
    // that may leave it (new feature or collections, or its collection replaced) takes its alerts
    // out first and gets them back after.
    recreateWhen: (referenced) =>
      referenced.action === "replace" ||
      referenced.fields.some((f) => f.field === "feature_uri" || f.field === "collections"),
    list: async (context) => {
      const retrievers = await retrieverNames(services, context);
      if (!retrievers.ok) return retrievers;
      return listEveryPage(async (cursor) => {
        const page = await client.listAlerts(
          { namespaceId: context.namespaceId, limit: 100, cursor },
          { caller: context.caller },
        );
        if (!page.ok) return page;
        const items = page.value.alerts.map((alert) => ({
          name: alert.alertName,
          spec: {
            description: alert.description,
            retriever: retrievers.value.get(alert.retrieverId) ?? alert.retrieverId,
            query: querySpecOf(alert.query),
            score_threshold: alert.scoreThreshold,
            active: alert.active,
          } satisfies Spec,
        }));
        return ok({ items, next: page.value.nextCursor });
      });
    },
    create: async ({ caller, namespaceId }, name, spec) => {
      const s = spec as AlertSpec;
      return done(await client.createAlert({ namespaceId, alertName: name, ...fieldsOf(s) }, { caller }));
    },
    update: async ({ caller, namespaceId }, name, _before, after) => {
      const s = after as AlertSpec;
      return done(await client.updateAlert({ namespaceId, identifier: name, ...fieldsOf(s) }, { caller }));
    },
    remove: async ({ caller, namespaceId }, name) =>
      done(await client.deleteAlert({ namespaceId, identifier: name }, { caller })),
  };
}

async function retrieverNames(services: OwningServices, { caller, namespaceId }: ActContext) {
  const listed = await listEveryPage(async (cursor) => {
    const page = await services.retriever.listRetrievers({ namespaceId, limit: 100, cursor }, { caller });
    return page.ok ? ok({ items: page.value.retrievers, next: page.value.nextCursor }) : page;
  });
  return listed.ok ? ok(new Map(listed.value.map((r) => [r.retrieverId, r.retrieverName]))) : listed;
}

/** What create and update both send: every field, so an update leaves nothing as it was. */
function fieldsOf(s: AlertSpec) {
  return {
    description: s.description,
    retrieverIdentifier: s.retriever,
    query: queryOf(s.query),
    scoreThreshold: s.score_threshold,
    active: s.active,
  };
}

function queryOf(q: AlertSpec["query"]): retrieverV1.RetrieverQuery {
  if ("text" in q) return { text: q.text };
  if ("vector" in q) return { vector: { values: q.vector } };
  return { document: { documentId: q.document.document_id, collectionIdentifier: q.document.collection } };
}

function querySpecOf(q: retrieverV1.RetrieverQuery | undefined): Spec {
  if (q?.vector !== undefined) return { vector: q.vector.values };
  if (q?.document !== undefined)
    return { document: { document_id: q.document.documentId, collection: q.document.collectionIdentifier } };
  return { text: q?.text ?? "" };
}
