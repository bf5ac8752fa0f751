import type { Caller } from "@strata/access";
import { DEAD_LETTER_HEADERS, DLQ_STREAM, deadLetterSubjectFor, ensureEventStream } from "@strata/bus";
import type { AppError, Result } from "@strata/errors";
import { buildEvent, subjectOf } from "@strata/events";
import { callUnary, type UnaryInvoker } from "@strata/grpc";
import { newId } from "@strata/ids";
import { collectionV1 } from "@strata/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AclQueryHarness, startAclQueryHarness } from "./testing/service-harness.js";

const URI = "strata://test@v1/embedding";
const ORG = newId("organization");
const admin: Caller = {
  organizationId: ORG,
  keyId: newId("apiKey"),
  permissions: ["admin"],
  namespaces: [],
  roles: [],
  attributes: {},
};

let h: AclQueryHarness;

function call<C, Req, Res>(
  client: C,
  method: (client: C) => UnaryInvoker<Req, Res>,
  request: Req,
): Promise<Result<Res, AppError>> {
  return callUnary(method(client).bind(client), request, { caller: admin });
}

async function namespaceWithRetriever(name: string): Promise<{ namespaceId: string; retrieverId: string }> {
  const ns = await call(h.namespaces, (c) => c.createNamespace, { namespaceName: name, description: "" });
  if (!ns.ok) throw new Error(ns.error.message);
  const namespaceId = ns.value.namespace?.namespaceId ?? "";
  const collection = await call(h.collections, (c) => c.createCollection, {
    namespaceId,
    collectionName: "items",
    description: "",
    features: [
      { featureUri: URI, dimensions: 3, metric: collectionV1.DistanceMetric.DISTANCE_METRIC_COSINE },
    ],
    indexedFields: [],
  });
  if (!collection.ok) throw new Error(collection.error.message);
  const retriever = await call(h.retrievers, (c) => c.createRetriever, {
    namespaceId,
    retrieverName: "near",
    description: "",
    collectionIdentifiers: ["items"],
    featureUri: URI,
    topK: 5,
  });
  if (!retriever.ok) throw new Error(retriever.error.message);
  return { namespaceId, retrieverId: retriever.value.retriever?.retrieverId ?? "" };
}

const retrieverExists = async (namespaceId: string, retrieverId: string) =>
  (await call(h.retrievers, (c) => c.getRetriever, { namespaceId, identifier: retrieverId })).ok;

async function eventually(check: () => Promise<boolean>, withinMs: number): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > withinMs) throw new Error(`not true within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  h = await startAclQueryHarness();
});
afterAll(async () => {
  await h?.close();
});

/** The dead letter a consumer wrote for `eventId`, once it is there. */
async function deadLetterOf(consumer: string, eventId: string): Promise<Record<string, string>> {
  const jsm = await h.nc.jetstreamManager();
  let found: Record<string, string> | undefined;
  await eventually(async () => {
    const message = await jsm.streams
      .getMessage(DLQ_STREAM, { last_by_subj: deadLetterSubjectFor(consumer) })
      .catch(() => undefined);
    const letter = message?.json<{ id?: string }>();
    if (message === undefined || letter?.id !== eventId) return false;
    found = Object.fromEntries(
      [...(message.header?.keys() ?? [])].map((k) => [k, message.header?.get(k) ?? ""]),
    );
    return true;
  }, 10_000);
  return found ?? {};
}

describe("namespace.deleted for a live namespace", () => {
  it("purges nothing in either service, and each dead-letters the event, whatever it says", async () => {
    const live = await namespaceWithRetriever("live");
    const forged = buildEvent(
      "namespace.deleted",
      { service: "namespace", organizationId: ORG, namespaceId: live.namespaceId, subject: live.namespaceId },
      { namespace_id: live.namespaceId, organization_id: ORG, namespace_name: "live" },
    );
    await ensureEventStream(h.nc);
    await h.nc
      .jetstream()
      .publish(subjectOf(forged), Buffer.from(JSON.stringify(forged)), { msgID: forged.id });
    // A genuine deletion of another namespace, published after the forged event, is purged: once
    // it is, the consumer has been past the forged one too.
    const doomed = await namespaceWithRetriever("doomed");
    expect((await call(h.namespaces, (c) => c.deleteNamespace, { identifier: doomed.namespaceId })).ok).toBe(
      true,
    );
    await eventually(async () => !(await retrieverExists(doomed.namespaceId, doomed.retrieverId)), 10_000);
    // Both consumers settled the forged event, each with a dead letter naming why.
    for (const consumer of ["acl_query_namespace_purge", "namespace_purge"]) {
      const headers = await deadLetterOf(consumer, forged.id);
      expect(headers[DEAD_LETTER_HEADERS.reason], consumer).toContain("the namespace is live");
    }
    expect(await retrieverExists(live.namespaceId, live.retrieverId)).toBe(true);
    const collection = await call(h.collections, (c) => c.getCollection, {
      namespaceId: live.namespaceId,
      identifier: "items",
    });
    expect(collection.ok).toBe(true);
  });
});
