import { TEXT_HASH_FEATURE_URI } from "@strata/extractors";
import { describe, expect, it } from "vitest";
import { issuesOf, kindOf, testData } from "../../shared/data-test-support.js";
import { callerOf } from "../../shared/test-support.js";
import { createCollection } from "../collections/create-collection.js";
import { deleteDocument, updateDocument } from "../documents/change-document.js";
import { createDocument, type NewDocumentInput } from "../documents/create-document.js";
import { listDocuments } from "../documents/read-documents.js";
import { DOCUMENTS_TABLE, type DocumentRecord } from "../documents/tables.js";
import { createTaxonomy } from "../taxonomies/create-taxonomy.js";
import { searchDocuments } from "./search-documents.js";

const VEC = "strata://clip@v1/image";

async function setup() {
  const t = await testData();
  const admin = callerOf(t.organizationId);
  const made = await createCollection(t.ports, admin, t.namespaceId, {
    collectionName: "items",
    description: "",
    features: [
      { featureUri: VEC, dimensions: 2, metric: "cosine" },
      { featureUri: TEXT_HASH_FEATURE_URI, dimensions: 512, metric: "cosine" },
    ],
    metadataSchema: undefined,
    indexedFields: ["color"],
  });
  if (!made.ok) throw new Error(JSON.stringify(made.error));
  const tax = await createTaxonomy(t.ports, admin, t.namespaceId, {
    taxonomyName: "kinds",
    description: "",
    nodes: [
      { label: "animal" },
      { label: "dog", parent: "animal" },
      { label: "poodle", parent: "dog" },
      { label: "car" },
    ],
  });
  if (!tax.ok) throw new Error(JSON.stringify(tax.error));
  const add = async (documentId: string, over: Partial<NewDocumentInput>) => {
    const created = await createDocument(t.ports, admin, t.namespaceId, "items", {
      documentId,
      taxonomyLabels: [],
      features: {},
      ...over,
    });
    if (!created.ok) throw new Error(JSON.stringify(created.error));
  };
  const search = (over: Partial<Parameters<typeof searchDocuments>[3]> = {}) =>
    searchDocuments(t.ports, admin, t.namespaceId, {
      collectionIdentifiers: ["items"],
      featureUri: VEC,
      vector: [1, 0],
      topK: 10,
      ...over,
    });
  return { t, admin, taxonomyId: tax.value.id, add, search };
}

const ids = (result: Awaited<ReturnType<typeof searchDocuments>>) =>
  result.ok ? result.value.hits.map((h) => h.document.document_id) : result.error.kind;

describe("searchDocuments", () => {
  it("answers the nearest documents first, filtered inside the index, with their tier", async () => {
    const { add, search, taxonomyId } = await setup();
    await add("east", { features: { [VEC]: [1, 0] }, metadata: { color: "red" } });
    await add("north-east", { features: { [VEC]: [1, 1] }, metadata: { color: "blue" } });
    await add("north", {
      features: { [VEC]: [0, 1] },
      metadata: { color: "red" },
      taxonomyLabels: [{ taxonomy_id: taxonomyId, label: "poodle" }],
    });
    await add("west", {
      features: { [VEC]: [-1, 0] },
      taxonomyLabels: [{ taxonomy_id: taxonomyId, label: "car" }],
    });
    const all = await search();
    expect(ids(all)).toEqual(["east", "north-east", "north", "west"]);
    if (all.ok) {
      expect(all.value.hits[0]?.score).toBeCloseTo(1, 5);
      expect(all.value.hits[0]?.sourceTier).toBe("hot");
    }
    expect(ids(await search({ topK: 2 }))).toEqual(["east", "north-east"]);
    expect(
      ids(await search({ filters: { AND: [{ field: "metadata.color", operator: "eq", value: "red" }] } })),
    ).toEqual(["east", "north"]);
    // A filter on a taxonomy node matches its descendants (poodle is a dog is an animal).
    expect(
      ids(
        await search({ filters: { AND: [{ field: "taxonomies.kinds", operator: "eq", value: "animal" }] } }),
      ),
    ).toEqual(["north"]);
    expect(
      ids(await search({ filters: { AND: [{ field: "taxonomies.kinds", operator: "ne", value: "dog" }] } })),
    ).toEqual(["east", "north-east", "west"]);
    expect(ids(await search({ excludeDocumentIds: ["east"], topK: 1 }))).toEqual(["north-east"]);
    expect(ids(await search({ scoreThreshold: 0.5 }))).toEqual(["east", "north-east"]);
  });

  it("fills the lexical text feature from a document's text and finds it by text", async () => {
    const { t, add, search } = await setup();
    await add("fox", { text: "the quick brown fox jumps over the lazy dog" });
    await add("tea", { text: "a cup of green tea in the morning" });
    const { textHashEmbedding } = await import("@strata/extractors");
    const query = Array.from(textHashEmbedding("brown fox"));
    const found = await search({ featureUri: TEXT_HASH_FEATURE_URI, vector: query });
    expect(ids(found)).toEqual(["fox", "tea"]);
    // Changing the text re-extracts the vector.
    const changed = await updateDocument(t.ports, callerOf(t.organizationId), t.namespaceId, "items", "tea", {
      text: "brown fox brown fox",
    });
    expect(changed.ok).toBe(true);
    expect(ids(await search({ featureUri: TEXT_HASH_FEATURE_URI, vector: query }))[0]).toBe("tea");
  });

  it("never answers a deleted document or another namespace's vectors", async () => {
    const { t, admin, add, search } = await setup();
    await add("gone", { features: { [VEC]: [1, 0] } });
    await add("kept", { features: { [VEC]: [0, 1] } });
    expect((await deleteDocument(t.ports, admin, t.namespaceId, "items", "gone")).ok).toBe(true);
    expect(ids(await search())).toEqual(["kept"]);
    const other = await searchDocuments(t.ports, admin, t.otherNamespaceId, {
      collectionIdentifiers: ["items"],
      featureUri: VEC,
      vector: [1, 0],
      topK: 10,
    });
    expect(kindOf(other)).toBe("not_found");
  });

  it("reads further candidates when nearer hits have no record, so top_k still holds", async () => {
    const { t, add, search } = await setup();
    await add("near", { features: { [VEC]: [1, 0] } });
    await add("middle", { features: { [VEC]: [1, 0.5] } });
    await add("far", { features: { [VEC]: [0, 1] } });
    // The record goes and its vector stays: the orphan a crash between the two deletes leaves.
    const documents = t.ports.store.table<DocumentRecord>(DOCUMENTS_TABLE);
    const [near] = await documents.find({ where: { document_id: "near" } });
    expect(near !== undefined && (await documents.delete(near.record.id))).toBe(true);
    expect(ids(await search({ topK: 1 }))).toEqual(["middle"]);
    expect(ids(await search({ topK: 2 }))).toEqual(["middle", "far"]);
    expect(ids(await search())).toEqual(["middle", "far"]);
  });

  it("refuses bad searches with a clear issue", async () => {
    const { search } = await setup();
    expect(issuesOf(await search({ vector: [1, 0, 0] }))).toEqual(["body.query.vector: dimension_mismatch"]);
    expect(issuesOf(await search({ vector: [1, Number.NaN] }))).toEqual(["body.query.vector[1]: not_finite"]);
    expect(issuesOf(await search({ featureUri: "strata://nope@v1/x" }))).toEqual([
      "body.feature_uri: unknown_feature",
    ]);
    expect(issuesOf(await search({ topK: 0 }))).toEqual(["body.top_k: out_of_range"]);
    expect(
      issuesOf(await search({ filters: { AND: [{ field: "metadata.size", operator: "eq", value: 1 }] } })),
    ).toEqual(["body.filters: field_not_indexed"]);
    expect(
      issuesOf(
        await search({ filters: { AND: [{ field: "taxonomies.nope", operator: "eq", value: "x" }] } }),
      ),
    ).toEqual(["body.filters: invalid_taxonomy_filter"]);
    expect(kindOf(await search({ collectionIdentifiers: ["missing"] }))).toBe("not_found");
  });
});

describe("listDocuments with a taxonomy filter", () => {
  it("matches documents labelled with the node or any node below it", async () => {
    const { t, admin, add, taxonomyId } = await setup();
    await add("p", { taxonomyLabels: [{ taxonomy_id: taxonomyId, label: "poodle" }] });
    await add("d", { taxonomyLabels: [{ taxonomy_id: taxonomyId, label: "dog" }] });
    await add("c", { taxonomyLabels: [{ taxonomy_id: taxonomyId, label: "car" }] });
    const page = await listDocuments(t.ports, admin, t.namespaceId, "items", {
      filters: { AND: [{ field: `taxonomies.${taxonomyId}`, operator: "in", value: ["dog"] }] },
      limit: 10,
      cursor: undefined,
    });
    expect(page.ok ? page.value.documents.map((d) => d.document_id).sort() : page).toEqual(["d", "p"]);
  });
});
