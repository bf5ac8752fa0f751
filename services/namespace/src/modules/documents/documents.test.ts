import { MAX_ACL_ENTRIES, MAX_JSON_DEPTH } from "@strata/contracts";
import { newId } from "@strata/ids";
import { describe, expect, it } from "vitest";
import { issuesOf, kindOf } from "../../shared/data-test-support.js";
import { callerOf } from "../../shared/test-support.js";
import { readDocumentVectors } from "../../shared/vectors/read-vectors.js";
import { createCollection } from "../collections/create-collection.js";
import { createDocument, type NewDocumentInput } from "./create-document.js";
import { doc, documentEvents, IMAGE, setup, TEXT } from "./documents-test-support.js";
import { getDocument } from "./read-documents.js";
import { DOCUMENTS_TABLE } from "./tables.js";

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
