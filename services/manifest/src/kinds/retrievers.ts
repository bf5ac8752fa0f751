import { ok } from "@strata/errors";
import type { retrieverV1 } from "@strata/proto";
import { z } from "zod";
import { done, eachDone, listEveryPage, type OwningServices } from "../adapters/grpc/owning-services.js";
import type { ResourceKind, Spec } from "../domain/ports.js";

const schema = z.strictObject({
  description: z.string().max(1024).default(""),
  /** Collection names (the manifest never names ids). */
  collections: z.array(z.string().min(1)).min(1),
  feature_uri: z.string().min(1),
  top_k: z.number().int().min(1).max(1000).default(10),
  filters: z.record(z.string(), z.unknown()).nullable().default(null),
  score_threshold: z.number().nullable().default(null),
});

type RetrieverSpec = z.infer<typeof schema>;

/** Retrievers (acl-query service); they name their collections, which the service stores as ids. */
export function retrieverKind(services: OwningServices): ResourceKind {
  const client = services.retriever;
  return {
    section: "retrievers",
    order: 40,
    schema,
    replaceReason: () => undefined,
    references: (spec) =>
      (spec as RetrieverSpec).collections.map((name, index) => ({
        section: "collections",
        name,
        field: `collections[${index}]`,
      })),
    list: async ({ caller, namespaceId }) => {
      const collections = await listEveryPage(async (cursor) => {
        const page = await services.collection.listCollections(
          { namespaceId, limit: 100, cursor },
          { caller },
        );
        return page.ok ? ok({ items: page.value.collections, next: page.value.nextCursor }) : page;
      });
      if (!collections.ok) return collections;
      const nameOf = new Map(collections.value.map((c) => [c.collectionId, c.collectionName]));
      return listEveryPage(async (cursor) => {
        const page = await client.listRetrievers({ namespaceId, limit: 100, cursor }, { caller });
        if (!page.ok) return page;
        const items = page.value.retrievers.map((r) => ({
          name: r.retrieverName,
          spec: {
            description: r.description,
            collections: r.collectionIds.map((id) => nameOf.get(id) ?? id),
            feature_uri: r.featureUri,
            top_k: r.topK,
            filters: r.filters ?? null,
            score_threshold: r.scoreThreshold ?? null,
          } satisfies Spec,
        }));
        return ok({ items, next: page.value.nextCursor });
      });
    },
    create: async ({ caller, namespaceId }, name, spec) =>
      done(await client.createRetriever(requestOf(namespaceId, name, spec), { caller })),
    createMany: async ({ caller, namespaceId }, resources) =>
      eachDone(
        await client.createRetrievers(
          { namespaceId, retrievers: resources.map(({ name, spec }) => requestOf("", name, spec)) },
          { caller },
        ),
      ),
    update: async ({ caller, namespaceId }, name, _before, after) => {
      const s = after as RetrieverSpec;
      return done(
        await client.updateRetriever(
          {
            namespaceId,
            identifier: name,
            description: s.description,
            collections: { collectionIdentifiers: s.collections },
            featureUri: s.feature_uri,
            topK: s.top_k,
            filters: s.filters ?? undefined,
            removeFilters: s.filters === null,
            ...(s.score_threshold === null ? {} : { scoreThreshold: s.score_threshold }),
            removeScoreThreshold: s.score_threshold === null,
          },
          { caller },
        ),
      );
    },
    remove: async ({ caller, namespaceId }, name) =>
      done(await client.deleteRetriever({ namespaceId, identifier: name }, { caller })),
  };
}

function requestOf(namespaceId: string, name: string, spec: Spec): retrieverV1.CreateRetrieverRequest {
  const s = spec as RetrieverSpec;
  return {
    namespaceId,
    retrieverName: name,
    description: s.description,
    collectionIdentifiers: s.collections,
    featureUri: s.feature_uri,
    topK: s.top_k,
    filters: s.filters ?? undefined,
    ...(s.score_threshold === null ? {} : { scoreThreshold: s.score_threshold }),
  };
}
