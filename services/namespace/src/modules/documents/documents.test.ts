import { MAX_ACL_ENTRIES, MAX_JSON_DEPTH } from "@strata/contracts";
import { newId } from "@strata/ids";
import { describe, expect, it } from "vitest";
import { issuesOf, kindOf, type TestData, testData } from "../../shared/data-test-support.js";
import { callerOf } from "../../shared/test-support.js";
import { readDocumentVectors } from "../../shared/vectors/read-vectors.js";
import { createCollection } from "../collections/create-collection.js";
import { createTaxonomy } from "../taxonomies/create-taxonomy.js";
import { deleteDocument, updateDocument } from "./change-document.js";
import { createDocument, type NewDocumentInput } from "./create-document.js";
import { getDocument, listDocuments } from "./read-documents.js";
import { DOCUMENTS_TABLE } from "./tables.js";

const TEXT = "strata://text_extractor@v1/text_embedding";
const IMAGE = "strata://clip@v1/image";
const schema = {
  type: "object",
  properties: {
    category: { type: "string", enum: ["shoe", "hat"] },
    year: { type: "integer", minimum: 1900 },
    tags: { type: "array", items: { type: "string" } },
    note: { type: "string" },
  },
  required: ["category"],
  additionalProperties: false,
};

async function setup() {
  const t = await testData();
  const admin = callerOf(t.organizationId);
  const made = await createCollection(t.ports, admin, t.namespaceId, {
    collectionName: "products",
    description: "",
    features: [
      { featureUri: TEXT, dimensions: 3, metric: "cosine" },
      { featureUri: IMAGE, dimensions: 2, metric: "euclidean" },
    ],
    metadataSchema: schema,
    indexedFields: ["category", "year", "tags"],
  });
  if (!made.ok) throw new Error(JSON.stringify(made.error));
  const tax = await createTaxonomy(t.ports, admin, t.namespaceId, {
    taxonomyName: "kinds",
    description: "",
    nodes: [{ label: "clothing" }, { label: "shoe", parent: "clothing" }],
  });
  if (!tax.ok) throw new Error(JSON.stringify(tax.error));
  return { t, admin, collectionId: made.value.id, taxonomyId: tax.value.id };
}

const doc = (over: Partial<NewDocumentInput> = {}): NewDocumentInput => ({
  metadata: { category: "shoe", year: 2020 },
  features: { [TEXT]: [0.1, 0.2, 0.3] },
  taxonomyLabels: [],
  ...over,
});

async function documentEvents(t: TestData) {
  return (await t.events()).filter((e) => e.type.startsWith("document."));
}

describe("createDocument", () => {
  it("stores a hot document with its vectors, default ACL and lineage, and emits document.created once", async () => {
    const { t, admin, collectionId, taxonomyId } = await setup();
    t.advance(1000);
    const created = await createDocument(
      t.ports,
      admin,
      t.namespaceId,
      "products",
      doc({
        documentId: "sku-1",
        features: { "mixpeek://text_extractor@v1/text_embedding": [1, 0, 0], [IMAGE]: [0, 0] },
        text: "red shoe",
        taxonomyLabels: [{ taxonomy_id: taxonomyId, label: "shoe" }],
      }),
    );
    if (!created.ok) throw new Error(JSON.stringify(created.error));
    expect(created.value).toMatchObject({
      document_id: "sku-1",
      collection_id: collectionId,
      namespace_id: t.namespaceId,
      metadata: { category: "shoe", year: 2020 },
      feature_uris: [IMAGE, TEXT],
      text: "red shoe",
      taxonomy_labels: [{ taxonomy_id: taxonomyId, label: "shoe" }],
      _acl: { owner: null, read: [], write: [], public: false },
      tier: "hot",
      tier_changed_at: t.now().toISOString(),
      lineage: {},
    });
    // The vectors live in the hot index, not in the record.
    expect(created.value).not.toHaveProperty("features");
    expect(await readDocumentVectors(t.ports, [created.value])).toEqual({
      ok: true,
      value: [
        [
          { feature_uri: IMAGE, vector: [0, 0] },
          { feature_uri: TEXT, vector: [1, 0, 0] },
        ],
      ],
    });
    const generated = await createDocument(t.ports, admin, t.namespaceId, collectionId, doc());
    expect(generated.ok ? generated.value.document_id : "").toMatch(/^doc_/);
    const events = await documentEvents(t);
    expect(events.map((e) => e.type)).toEqual(["document.created", "document.created"]);
    expect(events[0]).toMatchObject({
      namespaceid: t.namespaceId,
      organizationid: t.organizationId,
      subject: `${collectionId}/sku-1`,
      data: { document_id: "sku-1", collection_id: collectionId, tier: "hot", feature_uris: [IMAGE, TEXT] },
    });
  });

  it("refuses each kind of bad input with a clear issue and writes nothing", async () => {
    const { t, admin, taxonomyId } = await setup();
    const cases: [Partial<NewDocumentInput>, string][] = [
      [{ features: { [TEXT]: [1, 2] } }, `body.features["${TEXT}"]: dimension_mismatch`],
      [{ features: { [TEXT]: [1, Number.NaN, 2] } }, `body.features["${TEXT}"][1]: not_finite`],
      [{ features: { [TEXT]: [1, 2, Number.POSITIVE_INFINITY] } }, `body.features["${TEXT}"][2]: not_finite`],
      [{ features: { [TEXT]: [0, 0, 0] } }, `body.features["${TEXT}"]: zero_vector`],
      [
        { features: { "strata://other@v1/x": [1, 2, 3] } },
        `body.features["strata://other@v1/x"]: unknown_feature`,
      ],
      [{ features: { "not a uri": [1, 2, 3] } }, `body.features["not a uri"]: unknown_feature`],
      [
        { features: { [TEXT]: [1, 2, 3], "mixpeek://text_extractor@v1/text_embedding": [1, 2, 3] } },
        `body.features["mixpeek://text_extractor@v1/text_embedding"]: duplicate`,
      ],
      [{ metadata: { category: "boot" } }, "body.metadata.category: schema_enum"],
      [{ metadata: { year: 2020 } }, "body.metadata.category: schema_required"],
      [{ metadata: { category: "hat", year: "2020" } }, "body.metadata.year: schema_type"],
      [{ metadata: { category: "hat", year: 1800 } }, "body.metadata.year: schema_minimum"],
      [{ metadata: { category: "hat", colour: "red" } }, "body.metadata.colour: schema_additionalProperties"],
      [{ metadata: { category: "hat", year: Number.NaN } }, "body.metadata.year: not_finite"],
      [{ metadata: { category: "hat", "a.b": 1 } }, "body.metadata.a.b: invalid_key"],
      [{ metadata: [1, 2] }, "body.metadata: type"],
      [{ documentId: "has space" }, "body.document_id: invalid_format"],
      [{ documentId: "x".repeat(129) }, "body.document_id: invalid_format"],
      [
        { taxonomyLabels: [{ taxonomy_id: taxonomyId, label: "hat" }] },
        "body.taxonomy_labels[0].label: unknown_label",
      ],
      [
        { taxonomyLabels: [{ taxonomy_id: newId("taxonomy"), label: "shoe" }] },
        "body.taxonomy_labels[0].taxonomy_id: unknown_taxonomy",
      ],
      [{ text: "x".repeat(262_145) }, "body.text: string_too_long"],
      [{ acl: { owner: "", read: [], write: [], public: false } }, "body._acl.owner: invalid_format"],
    ];
    for (const [over, expected] of cases) {
      const created = await createDocument(t.ports, admin, t.namespaceId, "products", doc(over));
      expect(kindOf(created), expected).toBe("validation");
      expect(issuesOf(created), expected).toContain(expected);
    }
    expect(await t.store.table(DOCUMENTS_TABLE).count()).toBe(0);
    expect(await documentEvents(t)).toEqual([]);
  });

  it("decides the ACL default: not public unless public is given (ADR 0018)", async () => {
    const { t, admin } = await setup();
    const cases: Array<[NewDocumentInput["acl"], boolean]> = [
      [undefined, false],
      [{ read: [], write: [] }, false],
      [{ read: [], write: ["role:editor"] }, false],
      [{ owner: "user_1", read: [], write: [] }, false],
      [{ read: ["user_2"], write: [] }, false],
      [{ owner: "user_1", read: [], write: [], public: true }, true],
      [{ read: [], write: [], public: false }, false],
    ];
    for (const [acl, expected] of cases) {
      const created = await createDocument(t.ports, admin, t.namespaceId, "products", doc({ acl }));
      if (!created.ok) throw new Error(JSON.stringify(created.error));
      expect(created.value._acl.public, JSON.stringify(acl)).toBe(expected);
    }
  });

  it("holds metadata to MAX_JSON_DEPTH levels and ACL lists to MAX_ACL_ENTRIES entries", async () => {
    const { t, admin } = await setup();
    const free = await createCollection(t.ports, admin, t.namespaceId, {
      collectionName: "free",
      description: "",
      features: [{ featureUri: TEXT, dimensions: 3, metric: "cosine" }],
      metadataSchema: undefined,
      indexedFields: [],
    });
    if (!free.ok) throw new Error("setup");
    const nested = (levels: number): unknown => (levels === 0 ? "leaf" : { n: nested(levels - 1) });
    const create = (over: Partial<NewDocumentInput>) =>
      createDocument(t.ports, admin, t.namespaceId, "free", doc(over));
    // The metadata object itself is the first level.
    expect((await create({ metadata: { n: nested(MAX_JSON_DEPTH - 1) } })).ok).toBe(true);
    const deep = await create({ metadata: { n: nested(MAX_JSON_DEPTH) } });
    expect(issuesOf(deep).some((i) => i.endsWith(": too_deep"))).toBe(true);
    const principals = (n: number) => Array.from({ length: n }, (_, i) => `user_${i}`);
    expect((await create({ acl: { read: principals(MAX_ACL_ENTRIES), write: [] } })).ok).toBe(true);
    expect(issuesOf(await create({ acl: { read: [], write: principals(MAX_ACL_ENTRIES + 1) } }))).toEqual([
      "body._acl.write: invalid_format",
    ]);
  });

  it("keeps client ids unique per collection, and scopes them to the collection and namespace", async () => {
    const { t, admin, collectionId } = await setup();
    const other = await createCollection(t.ports, admin, t.otherNamespaceId, {
      collectionName: "products",
      description: "",
      features: [{ featureUri: TEXT, dimensions: 3, metric: "cosine" }],
      metadataSchema: undefined,
      indexedFields: [],
    });
    if (!other.ok) throw new Error("setup");
    expect(
      (await createDocument(t.ports, admin, t.namespaceId, collectionId, doc({ documentId: "a" }))).ok,
    ).toBe(true);
    expect(
      kindOf(await createDocument(t.ports, admin, t.namespaceId, collectionId, doc({ documentId: "a" }))),
    ).toBe("already_exists");
    expect(
      (
        await createDocument(
          t.ports,
          admin,
          t.otherNamespaceId,
          other.value.id,
          doc({ documentId: "a", metadata: { x: 1 } }),
        )
      ).ok,
    ).toBe(true);
    // The other namespace's collection through this namespace, and this document through the other.
    expect(kindOf(await getDocument(t.ports, admin, t.namespaceId, other.value.id, "a"))).toBe("not_found");
    expect(kindOf(await createDocument(t.ports, admin, t.namespaceId, other.value.id, doc()))).toBe(
      "not_found",
    );
    expect(kindOf(await getDocument(t.ports, admin, t.otherNamespaceId, collectionId, "a"))).toBe(
      "not_found",
    );
    const restricted = callerOf(t.organizationId, { namespaces: [t.otherNamespaceId] });
    expect(kindOf(await getDocument(t.ports, restricted, t.namespaceId, collectionId, "a"))).toBe(
      "not_found",
    );
    expect(kindOf(await getDocument(t.ports, admin, t.namespaceId, collectionId, "missing"))).toBe(
      "not_found",
    );
    const reader = callerOf(t.organizationId, { permissions: ["read"] });
    expect((await getDocument(t.ports, reader, t.namespaceId, collectionId, "a")).ok).toBe(true);
    expect(kindOf(await createDocument(t.ports, reader, t.namespaceId, collectionId, doc()))).toBe(
      "forbidden",
    );
    expect((await documentEvents(t)).map((e) => e.namespaceid)).toEqual([t.namespaceId, t.otherNamespaceId]);
  });
});

describe("updateDocument and deleteDocument", () => {
  it("replaces given fields whole, emits document.updated with what changed, and nothing for a no-op", async () => {
    const { t, admin, collectionId, taxonomyId } = await setup();
    await createDocument(t.ports, admin, t.namespaceId, collectionId, doc({ documentId: "d", text: "old" }));
    t.advance(1000);
    const updated = await updateDocument(t.ports, admin, t.namespaceId, collectionId, "d", {
      metadata: { category: "hat" },
      features: { [IMAGE]: [3, 4] },
      text: "",
      taxonomyLabels: [{ taxonomy_id: taxonomyId, label: "clothing" }],
    });
    if (!updated.ok) throw new Error(JSON.stringify(updated.error));
    expect(updated.value).toMatchObject({
      metadata: { category: "hat" },
      feature_uris: [IMAGE],
      text: null,
      taxonomy_terms: [`${taxonomyId}/clothing`],
      updated_at: t.now().toISOString(),
    });
    // The TEXT vector the update left out is gone from the hot index too.
    expect(await readDocumentVectors(t.ports, [{ ...updated.value, feature_uris: [IMAGE, TEXT] }])).toEqual({
      ok: true,
      value: [[{ feature_uri: IMAGE, vector: [3, 4] }]],
    });
    const same = await updateDocument(t.ports, admin, t.namespaceId, collectionId, "d", {
      metadata: { category: "hat" },
    });
    expect(same.ok).toBe(true);
    const metadataOnly = await updateDocument(t.ports, admin, t.namespaceId, collectionId, "d", {
      metadata: { category: "shoe" },
    });
    expect(metadataOnly.ok).toBe(true);
    const events = (await documentEvents(t)).filter((e) => e.type === "document.updated");
    expect(events.map((e) => (e.type === "document.updated" ? e.data.changed_fields : []))).toEqual([
      ["metadata", "features", "text", "taxonomy_labels"],
      ["metadata"],
    ]);
  });

  it("refuses an invalid update and leaves the document as it was", async () => {
    const { t, admin, collectionId } = await setup();
    await createDocument(t.ports, admin, t.namespaceId, collectionId, doc({ documentId: "d" }));
    const before = await getDocument(t.ports, admin, t.namespaceId, collectionId, "d");
    const bad = [
      { metadata: { category: "boot" } },
      { features: { [TEXT]: [1, 2, 3, 4] } },
      { features: { [TEXT]: [1, 2, 3] }, metadata: { year: 3000 } },
    ];
    for (const changes of bad) {
      expect(kindOf(await updateDocument(t.ports, admin, t.namespaceId, collectionId, "d", changes))).toBe(
        "validation",
      );
    }
    expect(await getDocument(t.ports, admin, t.namespaceId, collectionId, "d")).toEqual(before);
    expect(
      kindOf(await updateDocument(t.ports, admin, t.namespaceId, collectionId, "nope", { text: "x" })),
    ).toBe("not_found");
    expect((await documentEvents(t)).map((e) => e.type)).toEqual(["document.created"]);
  });

  it("deletes once with document.deleted", async () => {
    const { t, admin, collectionId } = await setup();
    await createDocument(t.ports, admin, t.namespaceId, collectionId, doc({ documentId: "d" }));
    expect(kindOf(await deleteDocument(t.ports, admin, t.otherNamespaceId, collectionId, "d"))).toBe(
      "not_found",
    );
    const deleted = await deleteDocument(t.ports, admin, t.namespaceId, collectionId, "d");
    expect(deleted.ok ? deleted.value.document_id : undefined).toBe("d");
    expect(kindOf(await deleteDocument(t.ports, admin, t.namespaceId, collectionId, "d"))).toBe("not_found");
    const events = await documentEvents(t);
    expect(events.map((e) => e.type)).toEqual(["document.created", "document.deleted"]);
    expect(events[1]?.data).toMatchObject({ document_id: "d", cause: "document_deleted" });
  });
});

describe("listDocuments", () => {
  it("filters on indexed fields and built-ins, pages newest first, and refuses other fields", async () => {
    const { t, admin, collectionId } = await setup();
    const rows: [string, Record<string, unknown>][] = [
      ["a", { category: "shoe", year: 2001, tags: ["red"] }],
      ["b", { category: "hat", year: 2010, tags: ["blue", "red"] }],
      ["c", { category: "shoe", year: 2020, note: "n" }],
    ];
    for (const [documentId, metadata] of rows) {
      t.advance(1000);
      const created = await createDocument(
        t.ports,
        admin,
        t.namespaceId,
        collectionId,
        doc({ documentId, metadata }),
      );
      if (!created.ok) throw new Error(JSON.stringify(created.error));
    }
    const ids = async (filters: unknown, limit = 10) => {
      const page = await listDocuments(t.ports, admin, t.namespaceId, collectionId, {
        filters,
        limit,
        cursor: undefined,
      });
      if (!page.ok) throw new Error(JSON.stringify(page.error));
      return page.value.documents.map((d) => d.document_id);
    };
    expect(await ids(undefined)).toEqual(["c", "b", "a"]);
    expect(await ids({ field: "metadata.category", operator: "eq", value: "shoe" })).toEqual(["c", "a"]);
    expect(
      await ids({
        AND: [
          { field: "metadata.year", operator: "gte", value: 2005 },
          { field: "tier", value: "hot" },
        ],
      }),
    ).toEqual(["c", "b"]);
    expect(await ids({ field: "metadata.tags", operator: "contains", value: "red" })).toEqual(["b", "a"]);
    expect(await ids({ NOT: [{ field: "document_id", operator: "in", value: ["a", "c"] }] })).toEqual(["b"]);
    const notIndexed = await listDocuments(t.ports, admin, t.namespaceId, collectionId, {
      filters: { field: "metadata.note", value: "n" },
      limit: 10,
      cursor: undefined,
    });
    expect(issuesOf(notIndexed)).toEqual(["body.filters: field_not_indexed"]);
    const malformed = await listDocuments(t.ports, admin, t.namespaceId, collectionId, {
      filters: { field: "metadata.year", operator: "regex", value: "x" },
      limit: 10,
      cursor: undefined,
    });
    expect(kindOf(malformed)).toBe("validation");
    const first = await listDocuments(t.ports, admin, t.namespaceId, collectionId, {
      limit: 2,
      cursor: undefined,
    });
    if (!first.ok) throw new Error("list");
    const second = await listDocuments(t.ports, admin, t.namespaceId, collectionId, {
      limit: 2,
      cursor: first.value.nextCursor ?? undefined,
    });
    expect(second.ok ? second.value.documents.map((d) => d.document_id) : []).toEqual(["a"]);
    expect(
      kindOf(await listDocuments(t.ports, admin, t.namespaceId, collectionId, { limit: 2, cursor: "junk" })),
    ).toBe("bad_request");
    expect(
      kindOf(
        await listDocuments(t.ports, admin, t.otherNamespaceId, collectionId, {
          limit: 2,
          cursor: undefined,
        }),
      ),
    ).toBe("not_found");
  });
});
