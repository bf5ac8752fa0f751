import { describe, expect, it } from "vitest";
import { issuesOf, kindOf, testData } from "../../shared/data-test-support.js";
import { callerOf } from "../../shared/test-support.js";
import { createBatch } from "../batches/create-batch.js";
import type { BatchPorts } from "../batches/ports.js";
import { processBatchChunk } from "../batches/process-chunk.js";
import { createCollection } from "../collections/create-collection.js";
import { deleteCollection } from "../collections/delete-collection.js";
import { deleteTaxonomy, updateTaxonomy } from "../taxonomies/change-taxonomy.js";
import { createTaxonomy } from "../taxonomies/create-taxonomy.js";
import { BACKFILL_PAGE_SIZE, backfillLabelIndex } from "./backfill-label-index.js";
import { deleteDocument, updateDocument } from "./change-document.js";
import { createDocument } from "./create-document.js";
import { documentsWithLabels } from "./document-label-index.js";
import { labelFields } from "./document-labels.js";
import {
  DEFAULT_ACL,
  DOCUMENT_LABELS_TABLE,
  DOCUMENTS_TABLE,
  type DocumentRecord,
  documentKey,
} from "./tables.js";

const LABELS = Array.from({ length: 250 }, (_, i) => `l${i}`);

async function setup() {
  const t = await testData();
  const admin = callerOf(t.organizationId);
  const collection = await createCollection(t.ports, admin, t.namespaceId, {
    collectionName: "c",
    description: "",
    features: [{ featureUri: "strata://e@v1/o", dimensions: 2, metric: "dot" }],
    metadataSchema: undefined,
    indexedFields: [],
  });
  if (!collection.ok) throw new Error("setup");
  const taxonomy = await createTaxonomy(t.ports, admin, t.namespaceId, {
    taxonomyName: "kinds",
    description: "",
    nodes: LABELS.map((label) => ({ label })),
  });
  if (!taxonomy.ok) throw new Error("setup");
  const taxonomyId = taxonomy.value.id;
  const collectionId = collection.value.id;
  const labelled = (documentId: string, labels: readonly string[]) =>
    createDocument(t.ports, admin, t.namespaceId, collectionId, {
      documentId,
      features: {},
      taxonomyLabels: labels.map((label) => ({ taxonomy_id: taxonomyId, label })),
    });
  /** The documents carrying any of `labels` (any label of the taxonomy when undefined), sorted. */
  const carrying = async (labels?: readonly string[]) =>
    (await documentsWithLabels(t.store, t.namespaceId, taxonomyId, labels, 100))
      .map((d) => d.document_id)
      .sort();
  /** Whether the taxonomy may drop `label` (the PATCH keeps every other label). */
  const mayRemove = async (label: string) => {
    const nodes = LABELS.filter((l) => l !== label).map((l) => ({ label: l }));
    const updated = await updateTaxonomy(t.ports, admin, t.namespaceId, taxonomyId, { nodes });
    if (updated.ok) {
      // Put it back for the next question.
      await updateTaxonomy(t.ports, admin, t.namespaceId, taxonomyId, {
        nodes: LABELS.map((l) => ({ label: l })),
      });
    }
    return updated.ok ? true : issuesOf(updated);
  };
  /** Writes a document as a store of an older version holds it: no label index rows. */
  const writeOldDocument = async (documentId: string, labels: readonly string[]) => {
    const at = "2030-01-01T00:00:00.000Z";
    const record: DocumentRecord = {
      id: documentKey(collectionId, documentId),
      document_id: documentId,
      collection_id: collectionId,
      namespace_id: t.namespaceId,
      organization_id: t.organizationId,
      metadata: {},
      feature_uris: [],
      text: null,
      ...labelFields(labels.map((label) => ({ taxonomy_id: taxonomyId, label }))),
      _acl: DEFAULT_ACL,
      tier: "hot",
      tier_changed_at: at,
      lineage: {},
      created_at: at,
      updated_at: at,
    };
    expect((await t.store.table<DocumentRecord>(DOCUMENTS_TABLE).insert(record)).ok).toBe(true);
  };
  return { t, admin, taxonomyId, collectionId, labelled, carrying, mayRemove, writeOldDocument };
}

describe("the label index", () => {
  it("follows creates, updates and deletes, and the taxonomy refuses removing a carried label, naming its documents", async () => {
    const s = await setup();
    expect((await s.labelled("a", ["l0", "l249"])).ok).toBe(true);
    expect((await s.labelled("b", ["l1"])).ok).toBe(true);
    expect((await s.labelled("plain", [])).ok).toBe(true);
    expect(await s.carrying(["l249"])).toEqual(["a"]);
    expect(await s.carrying()).toEqual(["a", "b"]);
    // l249 sits in the third lookup chunk of the 250 labels.
    expect(await s.carrying(LABELS)).toEqual(["a", "b"]);
    expect(await s.mayRemove("l249")).toEqual([
      "body.nodes: label_in_use",
      `collections.${s.collectionId}.documents.a: label_in_use`,
    ]);
    expect(await s.mayRemove("l2")).toBe(true);

    const moved = await updateDocument(s.t.ports, s.admin, s.t.namespaceId, s.collectionId, "a", {
      taxonomyLabels: [{ taxonomy_id: s.taxonomyId, label: "l2" }],
    });
    expect(moved.ok).toBe(true);
    expect(await s.carrying(["l0", "l249"])).toEqual([]);
    expect(await s.carrying(["l2"])).toEqual(["a"]);
    expect(await s.mayRemove("l249")).toBe(true);
    // A change of other fields leaves the labels' rows as they are.
    const retexted = await updateDocument(s.t.ports, s.admin, s.t.namespaceId, s.collectionId, "a", {
      text: "now with text",
    });
    expect(retexted.ok).toBe(true);
    expect(await s.carrying(["l2"])).toEqual(["a"]);

    expect((await deleteDocument(s.t.ports, s.admin, s.t.namespaceId, s.collectionId, "a")).ok).toBe(true);
    expect(await s.carrying()).toEqual(["b"]);
    expect(kindOf(await deleteTaxonomy(s.t.ports, s.admin, s.t.namespaceId, s.taxonomyId))).toBe(
      "validation",
    );
    expect((await deleteDocument(s.t.ports, s.admin, s.t.namespaceId, s.collectionId, "b")).ok).toBe(true);
    expect(await s.t.store.table(DOCUMENT_LABELS_TABLE).count()).toBe(0);
    expect((await deleteTaxonomy(s.t.ports, s.admin, s.t.namespaceId, s.taxonomyId)).ok).toBe(true);
  });

  it("holds the labels of a batch's documents and lets them go with their collection", async () => {
    const s = await setup();
    const ports: BatchPorts = { ...s.t.ports, enqueueChunks: async () => {} };
    const documents = Array.from({ length: 30 }, (_, i) => ({
      documentId: `batch-${i}`,
      features: {},
      taxonomyLabels: [{ taxonomy_id: s.taxonomyId, label: LABELS[i % 3] ?? "" }],
    }));
    const batch = await createBatch(ports, s.admin, s.t.namespaceId, s.collectionId, documents);
    if (!batch.ok) throw new Error(batch.error.message);
    const processed = await processBatchChunk(ports, batch.value.id, 0);
    expect(processed.ok && processed.value.kind === "processed" && processed.value.succeeded).toBe(30);
    expect(await s.t.store.table(DOCUMENT_LABELS_TABLE).count()).toBe(30);
    expect(await s.carrying(["l2"])).toHaveLength(10);
    expect(await s.mayRemove("l1")).toContain("body.nodes: label_in_use");

    expect((await deleteCollection(s.t.ports, s.admin, s.t.namespaceId, s.collectionId)).ok).toBe(true);
    expect(await s.t.store.table(DOCUMENT_LABELS_TABLE).count()).toBe(0);
    expect(await s.mayRemove("l1")).toBe(true);
    expect((await deleteTaxonomy(s.t.ports, s.admin, s.t.namespaceId, s.taxonomyId)).ok).toBe(true);
  });

  it("is built for documents written before it existed, a page per turn, resuming, once", async () => {
    const s = await setup();
    // A store of an older version: documents with labels, and no index rows.
    const count = BACKFILL_PAGE_SIZE * 2 + 7;
    for (let i = 0; i < count; i++) {
      const labels = i === count - 1 ? ["l7"] : [];
      await s.writeOldDocument(`old-${String(i).padStart(4, "0")}`, labels);
    }
    // Without its rows the last document's label looks free.
    expect(await s.carrying(["l7"])).toEqual([]);

    // The first start is cut short after one page; the next resumes after it.
    const cutShort = async () => {
      throw new Error("stopped");
    };
    await expect(backfillLabelIndex(s.t.ports, { between: cutShort })).rejects.toThrow("stopped");
    let turns = 0;
    const between = async () => {
      turns += 1;
    };
    expect(await backfillLabelIndex(s.t.ports, { between })).toEqual({
      ok: true,
      value: count - BACKFILL_PAGE_SIZE,
    });
    expect(turns).toBe(1);
    expect(await s.carrying(["l7"])).toEqual([`old-${String(count - 1).padStart(4, "0")}`]);
    expect(await s.mayRemove("l7")).toContain("body.nodes: label_in_use");
    // Done once: the next start reads no document.
    expect(await backfillLabelIndex(s.t.ports, { between })).toEqual({ ok: true, value: 0 });
    expect(turns).toBe(1);
    expect(await s.t.store.table(DOCUMENT_LABELS_TABLE).count()).toBe(1);
  });

  it("writes at most a thousand label rows per page, however many labels documents carry", async () => {
    const s = await setup();
    for (let i = 0; i < 25; i++) await s.writeOldDocument(`full-${i}`, LABELS.slice(0, 100));
    let turns = 0;
    const between = async () => {
      turns += 1;
    };
    expect(await backfillLabelIndex(s.t.ports, { between })).toEqual({ ok: true, value: 25 });
    // Ten documents of 100 labels fill a page: pages of 10, 10 and 5.
    expect(turns).toBe(2);
    expect(await s.t.store.table(DOCUMENT_LABELS_TABLE).count()).toBe(2_500);
    expect(await s.carrying(["l99"])).toHaveLength(25);
  });

  it("is done at once on a store without documents, and writes since index themselves", async () => {
    const empty = await setup();
    expect(await backfillLabelIndex(empty.t.ports)).toEqual({ ok: true, value: 0 });
    expect((await empty.labelled("new", ["l3"])).ok).toBe(true);
    // Written since: the write indexed it, and the backfill has nothing left to do.
    expect(await backfillLabelIndex(empty.t.ports)).toEqual({ ok: true, value: 0 });
    expect(await empty.carrying(["l3"])).toEqual(["new"]);
  });
});
