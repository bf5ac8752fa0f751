import type { Caller } from "@strata/access";
import type { AppError, Result } from "@strata/errors";
import type { AnyEventEnvelope } from "@strata/events";
import { callUnary, type UnaryInvoker } from "@strata/grpc";
import { newId } from "@strata/ids";
import { collectionV1, type documentV1 } from "@strata/proto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type AclQueryHarness, readEventStream, startAclQueryHarness } from "./testing/service-harness.js";

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
const stranger: Caller = { ...admin, organizationId: newId("organization") };

let h: AclQueryHarness;
let namespaceId = "";
let collectionId = "";

function call<C, Req, Res>(
  client: C,
  method: (client: C) => UnaryInvoker<Req, Res>,
  request: Req,
  caller: Caller = admin,
): Promise<Result<Res, AppError>> {
  return callUnary(method(client).bind(client), request, { caller });
}

function must<T>(result: Result<T, AppError>): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

const kindOf = (result: Result<unknown, AppError>) => (result.ok ? undefined : result.error.kind);

function createDocument(
  documentId: string,
  vector: number[],
  topic: string,
): Promise<Result<documentV1.CreateDocumentResponse, AppError>> {
  return call(h.documents, (c) => c.createDocument, {
    namespaceId,
    collectionIdentifier: collectionId,
    documentId,
    metadata: { topic },
    features: { [URI]: { values: vector } },
    taxonomyLabels: [],
  });
}

beforeAll(async () => {
  h = await startAclQueryHarness();
  const ns = must(
    await call(h.namespaces, (c) => c.createNamespace, { namespaceName: "alerts", description: "" }),
  );
  namespaceId = ns.namespace?.namespaceId ?? "";
  const collection = must(
    await call(
      h.collections,
      (c) => c.createCollection,
      collectionV1.CreateCollectionRequest.fromPartial({
        namespaceId,
        collectionName: "items",
        features: [
          { featureUri: URI, dimensions: 3, metric: collectionV1.DistanceMetric.DISTANCE_METRIC_COSINE },
        ],
        indexedFields: ["topic"],
      }),
    ),
  );
  collectionId = collection.collection?.collectionId ?? "";
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe("acl-query over gRPC, against the real namespace service", () => {
  it("checks the collections with the namespace service and keeps retrievers per namespace", async () => {
    const created = must(
      await call(h.retrievers, (c) => c.createRetriever, {
        namespaceId,
        retrieverName: "topics",
        description: "",
        collectionIdentifiers: ["items"],
        featureUri: "mixpeek://test@v1/embedding",
        topK: 0,
        filters: { field: "metadata.topic", operator: "eq", value: "news" },
      }),
    );
    expect(created.retriever).toMatchObject({
      retrieverName: "topics",
      collectionIds: [collectionId],
      featureUri: URI,
      topK: 10,
    });
    const unknown = await call(h.retrievers, (c) => c.createRetriever, {
      namespaceId,
      retrieverName: "other",
      description: "",
      collectionIdentifiers: ["nope"],
      featureUri: URI,
      topK: 0,
    });
    expect(kindOf(unknown)).toBe("not_found");
    const undeclared = await call(h.retrievers, (c) => c.createRetriever, {
      namespaceId,
      retrieverName: "other",
      description: "",
      collectionIdentifiers: ["items"],
      featureUri: "strata://other@v1/embedding",
      topK: 0,
    });
    expect(kindOf(undeclared)).toBe("validation");
    const foreign = await call(
      h.retrievers,
      (c) => c.getRetriever,
      { namespaceId, identifier: created.retriever?.retrieverId ?? "" },
      stranger,
    );
    expect(kindOf(foreign)).toBe("not_found");
  });

  it("publishes alert.triggered once for a matching new document, through the outbox", async () => {
    const alert = must(
      await call(h.alerts, (c) => c.createAlert, {
        namespaceId,
        alertName: "breaking",
        description: "",
        retrieverIdentifier: "topics",
        query: { vector: { values: [1, 0, 0] } },
        scoreThreshold: 0.95,
      }),
    ).alert;
    expect(alert).toMatchObject({ active: true, query: { vector: { values: [1, 0, 0] } } });

    must(await createDocument("hit", [1, 0.05, 0], "news"));
    must(await createDocument("off-topic", [1, 0, 0], "sports"));
    must(await createDocument("far", [0, 1, 0], "news"));
    // The consumer takes events in stream order: once "last" fired, the two before it were evaluated.
    must(await createDocument("last", [1, 0, 0], "news"));
    const triggered = async () =>
      (await readEventStream(h.nc)).filter(
        (e): e is Extract<AnyEventEnvelope, { type: "alert.triggered" }> => e.type === "alert.triggered",
      );
    await vi.waitFor(
      async () => expect((await triggered()).map((e) => e.data.document_id)).toContain("last"),
      { timeout: 10_000 },
    );
    const events = await triggered();
    expect(events.map((e) => e.data.document_id)).toEqual(["hit", "last"]);
    expect(events[0]?.namespaceid).toBe(namespaceId);
    expect(events[0]?.data).toMatchObject({
      alert_id: alert?.alertId,
      retriever_id: alert?.retrieverId,
      document_id: "hit",
      collection_id: collectionId,
    });
    expect(events[0]?.data.score).toBeCloseTo(1 / Math.sqrt(1.0025), 5);
  });
});
