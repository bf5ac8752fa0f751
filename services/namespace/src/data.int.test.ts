import type { Caller } from "@strata/access";
import type { AppError, Result } from "@strata/errors";
import type { AnyEventEnvelope } from "@strata/events";
import type { UnaryInvoker } from "@strata/grpc";
import { newId } from "@strata/ids";
import { collectionV1, documentV1, taxonomyV1 } from "@strata/proto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  adminCaller,
  callAs,
  must,
  type NamespaceHarness,
  readEventStream,
  startNamespaceHarness,
} from "./testing/service-harness.js";

let h: NamespaceHarness;
let namespaceId = "";
const admin: Caller = adminCaller();
const TEXT = "strata://text_extractor@v1/text_embedding";

function call<C, Req, Res>(
  client: C,
  method: (client: C) => UnaryInvoker<Req, Res>,
  request: Req,
  caller: Caller = admin,
): Promise<Result<Res, AppError>> {
  return callAs(caller, client, method, request);
}

/** The per-document change events (document.accessed is a batch of reads, not a change). */
type DocumentEvent = Extract<
  AnyEventEnvelope,
  { type: "document.created" | "document.updated" | "document.deleted" }
>;
const DOCUMENT_CHANGES: readonly string[] = ["document.created", "document.updated", "document.deleted"];
const isDocumentEvent = (e: AnyEventEnvelope): e is DocumentEvent => DOCUMENT_CHANGES.includes(e.type);

const kindOf = (result: Result<unknown, AppError>) => (result.ok ? undefined : result.error.kind);

beforeAll(async () => {
  h = await startNamespaceHarness();
  const created = must(
    await call(h.client, (c) => c.createNamespace, { namespaceName: "data", description: "" }),
  );
  namespaceId = created.namespace?.namespaceId ?? "";
});

afterAll(async () => {
  await h?.close();
});

describe("collections, documents and taxonomies over gRPC", () => {
  it("runs the data path end to end with exactly one document event per change", async () => {
    const collection = must(
      await call(
        h.collections,
        (c) => c.createCollection,
        collectionV1.CreateCollectionRequest.fromPartial({
          namespaceId,
          collectionName: "products",
          features: [
            {
              featureUri: "mixpeek://text_extractor@v1/text_embedding",
              dimensions: 3,
              metric: collectionV1.DistanceMetric.DISTANCE_METRIC_COSINE,
            },
          ],
          metadataSchema: {
            type: "object",
            properties: { category: { type: "string" }, year: { type: "integer" } },
            required: ["category"],
          },
          indexedFields: ["category", "year"],
        }),
      ),
    ).collection;
    const collectionId = collection?.collectionId ?? "";
    expect(collectionId).toMatch(/^col_/);
    expect(collection?.features[0]).toEqual({
      featureUri: TEXT,
      dimensions: 3,
      metric: collectionV1.DistanceMetric.DISTANCE_METRIC_COSINE,
    });
    expect(collection?.metadataSchema?.required).toEqual(["category"]);
    const byName = must(
      await call(h.collections, (c) => c.getCollection, { namespaceId, identifier: "products" }),
    );
    expect(byName.collection?.collectionId).toBe(collectionId);
    const listed = must(
      await call(h.collections, (c) => c.listCollections, { namespaceId, limit: 0, cursor: "" }),
    );
    expect(listed.collections.map((c) => c.collectionName)).toEqual(["products"]);

    const taxonomy = must(
      await call(
        h.taxonomies,
        (c) => c.createTaxonomy,
        taxonomyV1.CreateTaxonomyRequest.fromPartial({
          namespaceId,
          taxonomyName: "kinds",
          nodes: [{ label: "clothing" }, { label: "shoe", parent: "clothing" }],
        }),
      ),
    ).taxonomy;
    expect(taxonomy?.nodes).toEqual([{ label: "clothing" }, { label: "shoe", parent: "clothing" }]);

    const createDoc = (over: Partial<documentV1.CreateDocumentRequest>) =>
      call(
        h.documents,
        (c) => c.createDocument,
        documentV1.CreateDocumentRequest.fromPartial({
          namespaceId,
          collectionIdentifier: collectionId,
          metadata: { category: "shoe", year: 2020 },
          features: { [TEXT]: { values: [0.5, 0.25, 1] } },
          ...over,
        }),
      );
    // Bad input: each a validation error, none written.
    const bad: Partial<documentV1.CreateDocumentRequest>[] = [
      { features: { [TEXT]: { values: [1, 2] } } },
      { features: { [TEXT]: { values: [1, Number.NaN, 2] } } },
      { features: { [TEXT]: { values: [1, Number.POSITIVE_INFINITY, 2] } } },
      { features: { "strata://unknown@v1/x": { values: [1, 2, 3] } } },
      { metadata: { year: 2020 } },
      { metadata: { category: 7 } },
    ];
    for (const over of bad) expect(kindOf(await createDoc(over)), JSON.stringify(over)).toBe("validation");

    const created = must(
      await createDoc({
        documentId: "sku-1",
        text: "red shoe",
        taxonomyLabels: [{ taxonomyId: taxonomy?.taxonomyId ?? "", label: "shoe" }],
      }),
    ).document;
    expect(created).toMatchObject({
      documentId: "sku-1",
      collectionId,
      namespaceId,
      metadata: { category: "shoe", year: 2020 },
      features: {},
      featureUris: [TEXT],
      text: "red shoe",
      acl: { read: [], write: [], public: false },
      tier: documentV1.Tier.TIER_HOT,
      lineage: {},
    });
    expect(created?.acl?.owner).toBeUndefined();
    expect(kindOf(await createDoc({ documentId: "sku-1" }))).toBe("already_exists");
    must(await createDoc({ documentId: "sku-2", metadata: { category: "hat", year: 1999 } }));

    const withVectors = must(
      await call(h.documents, (c) => c.getDocument, {
        namespaceId,
        collectionIdentifier: "products",
        documentId: "sku-1",
        includeFeatures: true,
      }),
    );
    expect(withVectors.document?.features).toEqual({ [TEXT]: { values: [0.5, 0.25, 1] } });

    const updated = must(
      await call(
        h.documents,
        (c) => c.updateDocument,
        documentV1.UpdateDocumentRequest.fromPartial({
          namespaceId,
          collectionIdentifier: collectionId,
          documentId: "sku-1",
          metadata: { category: "boot" },
          text: "",
        }),
      ),
    ).document;
    expect(updated).toMatchObject({ metadata: { category: "boot" } });
    expect(updated?.text).toBeUndefined();

    const filtered = must(
      await call(
        h.documents,
        (c) => c.listDocuments,
        documentV1.ListDocumentsRequest.fromPartial({
          namespaceId,
          collectionIdentifier: collectionId,
          filters: { AND: [{ field: "metadata.year", operator: "lt", value: 2000 }] },
        }),
      ),
    );
    expect(filtered.documents.map((d) => d.documentId)).toEqual(["sku-2"]);
    expect(filtered.nextCursor).toBe("");
    const refused = await call(
      h.documents,
      (c) => c.listDocuments,
      documentV1.ListDocumentsRequest.fromPartial({
        namespaceId,
        collectionIdentifier: collectionId,
        filters: { field: "text", value: "x" },
      }),
    );
    expect(kindOf(refused)).toBe("validation");

    must(
      await call(h.documents, (c) => c.deleteDocument, {
        namespaceId,
        collectionIdentifier: collectionId,
        documentId: "sku-2",
      }),
    );
    expect(
      kindOf(
        await call(h.documents, (c) => c.deleteDocument, {
          namespaceId,
          collectionIdentifier: collectionId,
          documentId: "sku-2",
        }),
      ),
    ).toBe("not_found");

    const removed = must(
      await call(h.collections, (c) => c.deleteCollection, { namespaceId, identifier: collectionId }),
    );
    expect(removed).toMatchObject({ deletedDocuments: 1, collection: { collectionName: "products" } });

    const about = async () => (await readEventStream(h.nc)).filter(isDocumentEvent);
    await vi.waitFor(async () => expect(await about()).toHaveLength(5), { timeout: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const events = await about();
    expect(events.map((e) => [e.type, e.data.document_id])).toEqual([
      ["document.created", "sku-1"],
      ["document.created", "sku-2"],
      ["document.updated", "sku-1"],
      ["document.deleted", "sku-2"],
      ["document.deleted", "sku-1"],
    ]);
    expect(
      events.every(
        (e) =>
          e.namespaceid === namespaceId &&
          e.organizationid === admin.organizationId &&
          e.data.collection_id === collectionId,
      ),
    ).toBe(true);
    expect(events[2]?.data).toMatchObject({ changed_fields: ["metadata", "text"] });
    expect(events.map((e) => (e.type === "document.deleted" ? e.data.cause : undefined))).toEqual([
      undefined,
      undefined,
      undefined,
      "document_deleted",
      "collection_deleted",
    ]);
  });

  it("answers not_found for another organization, an unreachable namespace and a namespace name", async () => {
    const stranger: Caller = { ...admin, organizationId: newId("organization") };
    const restricted: Caller = { ...admin, namespaces: [newId("namespace")] };
    const request = { namespaceId, limit: 10, cursor: "" };
    expect(kindOf(await call(h.collections, (c) => c.listCollections, request, stranger))).toBe("not_found");
    expect(kindOf(await call(h.taxonomies, (c) => c.listTaxonomies, request, restricted))).toBe("not_found");
    expect(
      kindOf(await call(h.collections, (c) => c.listCollections, { ...request, namespaceId: "data" })),
    ).toBe("not_found");
    const reader: Caller = { ...admin, permissions: ["read"] };
    const denied = await call(
      h.taxonomies,
      (c) => c.createTaxonomy,
      taxonomyV1.CreateTaxonomyRequest.fromPartial({ namespaceId, taxonomyName: "x" }),
      reader,
    );
    expect(kindOf(denied)).toBe("forbidden");
    const unspecified = await call(
      h.collections,
      (c) => c.createCollection,
      collectionV1.CreateCollectionRequest.fromPartial({
        namespaceId,
        collectionName: "nometric",
        features: [{ featureUri: TEXT, dimensions: 3 }],
      }),
    );
    expect(unspecified.ok ? [] : unspecified.error.details?.validation_errors).toEqual([
      expect.objectContaining({ location: "body.features[0].metric", type: "invalid_metric" }),
    ]);
  });
});
