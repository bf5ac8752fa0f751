import { newId } from "@strata/ids";
import { describe, expect, it } from "vitest";
import { issuesOf, kindOf, type TestData, testData } from "../../shared/data-test-support.js";
import { callerOf } from "../../shared/test-support.js";
import { createDocument } from "../documents/create-document.js";
import { DOCUMENTS_TABLE } from "../documents/tables.js";
import type { FeatureInput } from "./collection-input.js";
import { createCollection, createCollections, type NewCollectionInput } from "./create-collection.js";
import { deleteCollection } from "./delete-collection.js";
import { getCollection, listCollections } from "./read-collections.js";
import { COLLECTIONS_TABLE, type CollectionRecord } from "./tables.js";
import { updateCollection } from "./update-collection.js";

const TEXT = "strata://text_extractor@v1/text_embedding";
const feature = (over: Partial<FeatureInput> = {}): FeatureInput => ({
  featureUri: TEXT,
  dimensions: 3,
  metric: "cosine",
  ...over,
});
const input = (over: Partial<NewCollectionInput> = {}): NewCollectionInput => ({
  collectionName: "products",
  description: "",
  features: [feature()],
  metadataSchema: undefined,
  indexedFields: [],
  ...over,
});
const schema = {
  type: "object",
  properties: {
    category: { type: "string", enum: ["shoe", "hat"] },
    year: { type: "integer", minimum: 1900 },
    tags: { type: "array", items: { type: "string" } },
    specs: { type: "object", properties: { size: { type: "number" } } },
  },
  required: ["category"],
};

async function setup() {
  const t = await testData();
  const admin = callerOf(t.organizationId);
  return { t, admin };
}

async function mustCreate(t: TestData, over: Partial<NewCollectionInput> = {}) {
  const created = await createCollection(t.ports, callerOf(t.organizationId), t.namespaceId, input(over));
  if (!created.ok) throw new Error(JSON.stringify(created.error));
  return created.value;
}

describe("createCollection", () => {
  it("creates a collection, normalising mixpeek:// feature URIs", async () => {
    const { t } = await setup();
    const created = await mustCreate(t, {
      features: [
        feature(),
        feature({
          featureUri: "mixpeek://clip_vit_l_14@1.0.0/image_embedding",
          dimensions: 4096,
          metric: "dot",
        }),
      ],
      metadataSchema: schema,
      indexedFields: ["category", "year", "tags", "specs.size"],
    });
    expect(created.id).toMatch(/^col_/);
    expect(created).toMatchObject({
      namespace_id: t.namespaceId,
      organization_id: t.organizationId,
      collection_name: "products",
      features: [
        { feature_uri: TEXT, dimensions: 3, metric: "cosine" },
        { feature_uri: "strata://clip_vit_l_14@1.0.0/image_embedding", dimensions: 4096, metric: "dot" },
      ],
      metadata_schema: schema,
      state: "active",
    });
  });

  it("refuses every malformed feature, name, schema and indexed field with its location", async () => {
    const { t, admin } = await setup();
    const cases: [Partial<NewCollectionInput>, string][] = [
      [{ features: [] }, "body.features: missing"],
      [
        { features: [feature({ featureUri: "strata://text_extractor/v1" })] },
        "body.features[0].feature_uri: invalid_feature_uri",
      ],
      [
        { features: [feature({ featureUri: "http://x@v1/y" })] },
        "body.features[0].feature_uri: invalid_feature_uri",
      ],
      [
        { features: [feature({ featureUri: "strata://Text@v1/out" })] },
        "body.features[0].feature_uri: invalid_feature_uri",
      ],
      [{ features: [feature({ dimensions: 0 })] }, "body.features[0].dimensions: out_of_range"],
      [{ features: [feature({ dimensions: 4097 })] }, "body.features[0].dimensions: out_of_range"],
      [{ features: [feature({ dimensions: 1.5 })] }, "body.features[0].dimensions: out_of_range"],
      [{ features: [feature({ metric: undefined })] }, "body.features[0].metric: invalid_metric"],
      [
        { features: [feature(), feature({ featureUri: "mixpeek://text_extractor@v1/text_embedding" })] },
        "body.features[1].feature_uri: duplicate",
      ],
      [{ collectionName: "col_x" }, "body.collection_name: invalid_format"],
      [{ collectionName: "" }, "body.collection_name: missing"],
      [{ metadataSchema: { type: "string" } }, "body.metadata_schema.type: invalid_type"],
      [
        { metadataSchema: { type: "object", properties: { a: { type: "string", pattern: "x" } } } },
        "body.metadata_schema.properties.a: unsupported_keyword",
      ],
      [
        { metadataSchema: { type: "object", properties: { a: { type: "number", minimum: Number.NaN } } } },
        "body.metadata_schema.properties.a.minimum: type",
      ],
      [
        { metadataSchema: { type: "object", required: ["ghost"] } },
        "body.metadata_schema.required: undeclared",
      ],
      [
        { metadataSchema: { type: "object", properties: { a: { type: "string", minimum: 1 } } } },
        "body.metadata_schema.properties.a.minimum: keyword_type",
      ],
      [{ metadataSchema: schema, indexedFields: ["missing"] }, "body.indexed_fields[0]: undeclared"],
      [{ metadataSchema: schema, indexedFields: ["specs"] }, "body.indexed_fields[0]: not_indexable"],
      [{ indexedFields: ["metadata.$x"] }, "body.indexed_fields[0]: invalid_format"],
      [{ indexedFields: ["a", "a"] }, "body.indexed_fields[1]: duplicate"],
    ];
    for (const [over, expected] of cases) {
      const created = await createCollection(t.ports, admin, t.namespaceId, input(over));
      expect(kindOf(created), expected).toBe("validation");
      expect(issuesOf(created), expected).toContain(expected);
    }
    expect(await t.store.table(COLLECTIONS_TABLE).count()).toBe(0);
  });

  it("lists every unsupported schema keyword in one issue", async () => {
    const { t, admin } = await setup();
    const created = await createCollection(
      t.ports,
      admin,
      t.namespaceId,
      input({
        metadataSchema: { type: "object", $ref: "#/x", oneOf: [], properties: {} },
      }),
    );
    const error = created.ok ? undefined : JSON.stringify(created.error.details);
    expect(error).toContain("$ref, oneOf");
  });

  it("answers already_exists for a taken name in the namespace only", async () => {
    const { t, admin } = await setup();
    await mustCreate(t);
    expect(kindOf(await createCollection(t.ports, admin, t.namespaceId, input()))).toBe("already_exists");
    expect((await createCollection(t.ports, admin, t.otherNamespaceId, input())).ok).toBe(true);
  });

  it("confines calls to a namespace id of the caller's organization and reach, and needs write", async () => {
    const { t } = await setup();
    const stranger = callerOf(newId("organization"));
    const restricted = callerOf(t.organizationId, { namespaces: [t.otherNamespaceId] });
    const reader = callerOf(t.organizationId, { permissions: ["read"] });
    expect(kindOf(await createCollection(t.ports, stranger, t.namespaceId, input()))).toBe("not_found");
    expect(kindOf(await createCollection(t.ports, restricted, t.namespaceId, input()))).toBe("not_found");
    expect(kindOf(await createCollection(t.ports, callerOf(t.organizationId), "main", input()))).toBe(
      "not_found",
    );
    expect(
      kindOf(await createCollection(t.ports, callerOf(t.organizationId), newId("namespace"), input())),
    ).toBe("not_found");
    expect(kindOf(await createCollection(t.ports, reader, t.namespaceId, input()))).toBe("forbidden");
    const made = await mustCreate(t);
    expect((await getCollection(t.ports, reader, t.namespaceId, made.id)).ok).toBe(true);
    expect(kindOf(await getCollection(t.ports, stranger, t.namespaceId, made.id))).toBe("not_found");
    expect(kindOf(await getCollection(t.ports, restricted, t.namespaceId, made.id))).toBe("not_found");
  });
});

describe("createCollections", () => {
  it("creates many in one call, each answering on its own: a bad or taken one leaves the others", async () => {
    const { t, admin } = await setup();
    await mustCreate(t, { collectionName: "taken" });
    const created = await createCollections(t.ports, admin, t.namespaceId, [
      input({ collectionName: "a" }),
      input({ collectionName: "taken" }),
      input({ collectionName: "b", features: [feature({ dimensions: 0 })] }),
      input({ collectionName: "a" }),
      input({ collectionName: "c", indexedFields: ["category"], metadataSchema: schema }),
    ]);
    if (!created.ok) throw new Error(created.error.message);
    expect(
      created.value.map((result) => (result.ok ? result.value.collection_name : result.error.kind)),
    ).toEqual(["a", "already_exists", "validation", "already_exists", "c"]);
    const listed = await listCollections(t.ports, admin, t.namespaceId, { limit: 10, cursor: undefined });
    expect(listed.ok ? listed.value.collections.map((c) => c.collection_name).sort() : []).toEqual([
      "a",
      "c",
      "taken",
    ]);
  });

  it("refuses the whole call for a namespace the caller cannot reach, or without write", async () => {
    const { t } = await setup();
    const reader = callerOf(t.organizationId, { permissions: ["read"] });
    const stranger = callerOf(newId("organization"));
    expect(kindOf(await createCollections(t.ports, reader, t.namespaceId, [input()]))).toBe("forbidden");
    expect(kindOf(await createCollections(t.ports, stranger, t.namespaceId, [input()]))).toBe("not_found");
    const listed = await listCollections(t.ports, callerOf(t.organizationId), t.namespaceId, {
      limit: 10,
      cursor: undefined,
    });
    expect(listed.ok ? listed.value.collections : ["?"]).toEqual([]);
  });
});

describe("reading collections", () => {
  it("gets by id or name within its namespace and lists newest first with a cursor", async () => {
    const { t, admin } = await setup();
    const ids: string[] = [];
    for (const name of ["c1", "c2", "c3"]) {
      t.advance(1000);
      ids.push((await mustCreate(t, { collectionName: name })).id);
    }
    const byName = await getCollection(t.ports, admin, t.namespaceId, "c2");
    expect(byName.ok ? byName.value.id : undefined).toBe(ids[1]);
    expect(kindOf(await getCollection(t.ports, admin, t.otherNamespaceId, ids[1] ?? ""))).toBe("not_found");
    expect(kindOf(await getCollection(t.ports, admin, t.otherNamespaceId, "c2"))).toBe("not_found");
    const first = await listCollections(t.ports, admin, t.namespaceId, { limit: 2, cursor: undefined });
    if (!first.ok) throw new Error("list failed");
    expect(first.value.collections.map((c) => c.collection_name)).toEqual(["c3", "c2"]);
    const second = await listCollections(t.ports, admin, t.namespaceId, {
      limit: 2,
      cursor: first.value.nextCursor ?? undefined,
    });
    expect(second.ok ? second.value.collections.map((c) => c.collection_name) : []).toEqual(["c1"]);
    expect(second.ok ? second.value.nextCursor : "x").toBeNull();
    const other = await listCollections(t.ports, admin, t.otherNamespaceId, { limit: 10, cursor: undefined });
    expect(other.ok ? other.value.collections : undefined).toEqual([]);
    expect(
      kindOf(await listCollections(t.ports, admin, t.namespaceId, { limit: 101, cursor: undefined })),
    ).toBe("bad_request");
    expect(kindOf(await listCollections(t.ports, admin, t.namespaceId, { limit: 5, cursor: "nope" }))).toBe(
      "bad_request",
    );
  });
});

describe("updateCollection", () => {
  it("renames, adds features and indexed fields, and refuses changing or removing a feature", async () => {
    const { t, admin } = await setup();
    const made = await mustCreate(t, { metadataSchema: schema });
    t.advance(1000);
    const image = feature({ featureUri: "strata://clip@v1/image", dimensions: 2 });
    const updated = await updateCollection(t.ports, admin, t.namespaceId, made.id, {
      collectionName: "renamed",
      features: [feature(), image],
      indexedFields: ["year"],
    });
    if (!updated.ok) throw new Error(JSON.stringify(updated.error));
    expect(updated.value).toMatchObject({
      collection_name: "renamed",
      indexed_fields: ["year"],
      schema_version: 1,
    });
    expect(updated.value.features).toHaveLength(2);
    expect(updated.value.updated_at).not.toBe(made.updated_at);
    const changed = await updateCollection(t.ports, admin, t.namespaceId, made.id, {
      features: [feature({ dimensions: 4 })],
    });
    expect(issuesOf(changed)).toContain("body.features: feature_changed");
    const removed = await updateCollection(t.ports, admin, t.namespaceId, made.id, { features: [feature()] });
    expect(issuesOf(removed)).toContain("body.features: feature_changed");
    const badIndex = await updateCollection(t.ports, admin, t.namespaceId, made.id, {
      indexedFields: ["nope"],
    });
    expect(issuesOf(badIndex)).toContain("body.indexed_fields[0]: undeclared");
    const both = await updateCollection(t.ports, admin, t.namespaceId, made.id, {
      metadataSchema: schema,
      removeMetadataSchema: true,
    });
    expect(kindOf(both)).toBe("validation");
  });

  it("changes the schema only when every existing document satisfies the new one", async () => {
    const { t, admin } = await setup();
    const made = await mustCreate(t, { metadataSchema: schema, indexedFields: ["year"] });
    const doc = await createDocument(t.ports, admin, t.namespaceId, made.id, {
      documentId: "d1",
      metadata: { category: "shoe", year: 2001 },
      features: {},
      taxonomyLabels: [],
    });
    expect(doc.ok).toBe(true);
    const stricter = { ...schema, required: ["category", "specs"] };
    const refused = await updateCollection(t.ports, admin, t.namespaceId, made.id, {
      metadataSchema: stricter,
    });
    expect(issuesOf(refused)).toContain("documents[d1].metadata.specs: schema_required");
    const unchanged = await getCollection(t.ports, admin, t.namespaceId, made.id);
    expect(unchanged.ok ? unchanged.value.metadata_schema : undefined).toEqual(schema);
    const looser = { ...schema, required: [] };
    const accepted = await updateCollection(t.ports, admin, t.namespaceId, made.id, {
      metadataSchema: looser,
    });
    expect(accepted.ok ? accepted.value.schema_version : undefined).toBe(2);
    // Dropping a property that an indexed field names is refused with the indexed field.
    const dropsYear = await updateCollection(t.ports, admin, t.namespaceId, made.id, {
      metadataSchema: { type: "object", properties: { category: { type: "string" } } },
    });
    expect(issuesOf(dropsYear)).toContain("body.indexed_fields[0]: undeclared");
    const removed = await updateCollection(t.ports, admin, t.namespaceId, made.id, {
      removeMetadataSchema: true,
    });
    expect(removed.ok ? removed.value.metadata_schema : "x").toBeNull();
    // The new version's validator is used at once: any metadata object goes now.
    const free = await createDocument(t.ports, admin, t.namespaceId, made.id, {
      metadata: { anything: [1, 2] },
      features: {},
      taxonomyLabels: [],
    });
    expect(free.ok).toBe(true);
  });
});

describe("deleteCollection", () => {
  it("deletes its documents with one document.deleted each, frees the name and hides it", async () => {
    const { t, admin } = await setup();
    const made = await mustCreate(t);
    const keep = await mustCreate(t, { collectionName: "keep" });
    for (let i = 0; i < 450; i++) {
      const doc = await createDocument(t.ports, admin, t.namespaceId, made.id, {
        features: { [TEXT]: [1, i, 0] },
        taxonomyLabels: [],
      });
      if (!doc.ok) throw new Error(JSON.stringify(doc.error));
    }
    await createDocument(t.ports, admin, t.namespaceId, keep.id, {
      documentId: "stay",
      features: {},
      taxonomyLabels: [],
    });
    const reader = callerOf(t.organizationId, { permissions: ["read"] });
    expect(kindOf(await deleteCollection(t.ports, reader, t.namespaceId, made.id))).toBe("forbidden");
    const deleted = await deleteCollection(t.ports, admin, t.namespaceId, "products");
    if (!deleted.ok) throw new Error(JSON.stringify(deleted.error));
    expect(deleted.value.deletedDocuments).toBe(450);
    expect(deleted.value.collection.collection_name).toBe("products");
    expect(await t.store.table(DOCUMENTS_TABLE).count({ collection_id: made.id })).toBe(0);
    expect(await t.store.table(DOCUMENTS_TABLE).count()).toBe(1);
    const events = (await t.events()).filter((e) => e.type === "document.deleted");
    expect(events).toHaveLength(450);
    expect(
      events.every((e) => e.data.collection_id === made.id && e.data.cause === "collection_deleted"),
    ).toBe(true);
    expect(kindOf(await getCollection(t.ports, admin, t.namespaceId, made.id))).toBe("not_found");
    expect(kindOf(await deleteCollection(t.ports, admin, t.namespaceId, made.id))).toBe("not_found");
    expect((await createCollection(t.ports, admin, t.namespaceId, input())).ok).toBe(true);
  });

  it("resumes a deletion that was cut short when the delete is repeated with the id", async () => {
    const { t, admin } = await setup();
    const made = await mustCreate(t);
    for (const documentId of ["a", "b"]) {
      await createDocument(t.ports, admin, t.namespaceId, made.id, {
        documentId,
        features: {},
        taxonomyLabels: [],
      });
    }
    // What step 1 leaves behind when the process dies right after it.
    const table = t.store.table<CollectionRecord>(COLLECTIONS_TABLE);
    const stored = await table.get(made.id);
    if (stored === undefined) throw new Error("setup");
    await table.replace(
      { ...stored.record, state: "deleting", collection_name: null, deleting_name: "products" },
      stored.version,
    );
    expect(kindOf(await getCollection(t.ports, admin, t.namespaceId, made.id))).toBe("not_found");
    expect(
      kindOf(
        await createDocument(t.ports, admin, t.namespaceId, made.id, { features: {}, taxonomyLabels: [] }),
      ),
    ).toBe("not_found");
    expect((await createCollection(t.ports, admin, t.namespaceId, input())).ok).toBe(true);
    expect(kindOf(await deleteCollection(t.ports, admin, t.namespaceId, "products-gone"))).toBe("not_found");
    const resumed = await deleteCollection(t.ports, admin, t.namespaceId, made.id);
    expect(
      resumed.ok ? [resumed.value.deletedDocuments, resumed.value.collection.collection_name] : [],
    ).toEqual([2, "products"]);
    expect(await table.get(made.id)).toBeUndefined();
    expect((await t.events()).filter((e) => e.type === "document.deleted")).toHaveLength(2);
  });
});
