import { ok } from "@strata/errors";
import { describe, expect, it } from "vitest";
import { issuesOf, type TestDataPorts } from "../../shared/data-test-support.js";
import { createBatch } from "../batches/create-batch.js";
import type { BatchPorts } from "../batches/ports.js";
import { processBatchChunk } from "../batches/process-chunk.js";
import { getBatch } from "../batches/read-batch.js";
import { BATCH_CHUNK_SIZE } from "../batches/tables.js";
import { updateCollection } from "../collections/update-collection.js";
import { updateTaxonomy } from "../taxonomies/change-taxonomy.js";
import { createTaxonomy } from "../taxonomies/create-taxonomy.js";
import { updateDocument } from "./change-document.js";
import type { NewDocumentInput } from "./create-document.js";
import { settleStagedVectors } from "./settle-staged-vectors.js";
import { put, type Rig, rig, sample, searchIds, URI, vectorsOf } from "./staged-write-test-support.js";
import { DOCUMENTS_TABLE, type DocumentRecord, documentKey } from "./tables.js";

/**
 * A write is planned on the store and applied in a later transaction only if what the plan read
 * still reads the same there (ADR 0013). Each test changes one record the plan rests on while the
 * planned vectors are being staged, between the plan and the transaction, and checks that the
 * write was planned again (it staged again, or the new plan refused it) and ended as a write
 * planned after the change would have.
 */

interface Interference {
  readonly ports: TestDataPorts & BatchPorts;
  /** How many times the write staged vectors: once per plan that got as far. */
  stages(): number;
}

/** Ports whose first `stage` runs `meanwhile` after staging, as another writer would in that gap. */
function interfered(ports: TestDataPorts, meanwhile: () => Promise<void>): Interference {
  let stages = 0;
  const vectors: TestDataPorts["vectors"] = {
    ...ports.vectors,
    async stage(collection, writeId, entries) {
      const staged = await ports.vectors.stage(collection, writeId, entries);
      stages += 1;
      if (stages === 1) await meanwhile();
      return staged;
    },
  };
  return { ports: { ...ports, vectors, enqueueChunks: async () => undefined }, stages: () => stages };
}

const item = (documentId: string, n: number, extra: Partial<NewDocumentInput> = {}): NewDocumentInput => ({
  documentId,
  metadata: { n },
  features: { [URI]: [1, n, 0] },
  taxonomyLabels: [],
  ...extra,
});

async function storedDocument(r: Rig, documentId: string) {
  return r.store.table<DocumentRecord>(DOCUMENTS_TABLE).get(documentKey(r.collection.id, documentId));
}

async function batchOf(r: Rig, ports: BatchPorts, items: readonly NewDocumentInput[]) {
  const made = await createBatch(ports, r.caller, r.namespaceId, r.collection.id, items);
  if (!made.ok) throw new Error(made.error.message);
  return made.value.id;
}

describe("a write plan's basis (ADR 0013)", () => {
  it("plans a create again when the collection's metadata schema changed after the plan, and refuses what the new schema refuses", async () => {
    const r = await rig();
    const ports = await r.ports();
    const w = interfered(ports, async () => {
      const changed = await updateCollection(ports, r.caller, r.namespaceId, r.collection.id, {
        metadataSchema: { type: "object", properties: { n: { type: "string" } } },
      });
      if (!changed.ok) throw new Error(changed.error.message);
    });
    const created = await put(w.ports, r, "doc_schema", 1, [1, 1, 0]);
    expect(issuesOf(created)).toEqual(["body.metadata.n: schema_type"]);
    expect(w.stages()).toBe(1);
    expect(await storedDocument(r, "doc_schema")).toBeUndefined();
    // The staged vectors went with the rolled-back transaction.
    expect(await searchIds(ports, r, [1, 1, 0])).toEqual([]);
    expect(await settleStagedVectors(await r.ports())).toEqual(ok({ kept: 0, dropped: 0 }));
  });

  it("plans a batch chunk again when another writer took one of its ids after the plan: that item fails, the others are written", async () => {
    const r = await rig();
    const ports = await r.ports();
    const w = interfered(ports, async () => {
      // Straight into the store, as a writer in another process would (no turn taken).
      const rival = { ...sample(r, "doc_b"), metadata: { n: 99 } };
      const inserted = await r.store.table<DocumentRecord>(DOCUMENTS_TABLE).insert(rival);
      if (!inserted.ok) throw new Error(inserted.error);
    });
    const batchId = await batchOf(r, w.ports, [item("doc_a", 1), item("doc_b", 2), item("doc_c", 3)]);
    const processed = await processBatchChunk(w.ports, batchId, 0);
    expect(processed).toEqual(ok({ kind: "processed", succeeded: 2, failed: 1, finished: true }));
    expect(w.stages()).toBe(2);
    const batch = await getBatch(w.ports, r.caller, r.namespaceId, batchId);
    expect(batch.ok && batch.value.errors.map((e) => [e.index, e.error.type])).toEqual([
      [1, "AlreadyExistsError"],
    ]);
    expect((await storedDocument(r, "doc_b"))?.record.metadata).toEqual({ n: 99 });
    expect(await vectorsOf(ports, r, "doc_a")).toEqual([[1, 1, 0]]);
    expect(await vectorsOf(ports, r, "doc_b")).toEqual([]);
    expect(await vectorsOf(ports, r, "doc_c")).toEqual([[1, 3, 0]]);
    expect(await settleStagedVectors(await r.ports())).toEqual(ok({ kept: 0, dropped: 0 }));
  });

  it("plans a batch chunk again when another writer freed one of its ids after the plan: that item is written", async () => {
    const r = await rig();
    const ports = await r.ports();
    const documents = r.store.table<DocumentRecord>(DOCUMENTS_TABLE);
    const taken = await documents.insert({ ...sample(r, "doc_d"), metadata: { n: 98 } });
    if (!taken.ok) throw new Error(taken.error);
    const w = interfered(ports, async () => {
      if (!(await documents.delete(documentKey(r.collection.id, "doc_d")))) throw new Error("not deleted");
    });
    const batchId = await batchOf(r, w.ports, [item("doc_a", 1), item("doc_d", 4)]);
    const processed = await processBatchChunk(w.ports, batchId, 0);
    // As if planned after the delete: no item fails (the first plan found doc_d taken).
    expect(processed).toEqual(ok({ kind: "processed", succeeded: 2, failed: 0, finished: true }));
    expect(w.stages()).toBe(2);
    expect((await storedDocument(r, "doc_d"))?.record.metadata).toEqual({ n: 4 });
    expect(await vectorsOf(ports, r, "doc_d")).toEqual([[1, 4, 0]]);
  });

  it("plans a batch chunk again when a taxonomy its labels were checked against lost a label after the plan", async () => {
    const r = await rig();
    const ports = await r.ports();
    const taxonomy = await createTaxonomy(ports, r.caller, r.namespaceId, {
      taxonomyName: "colours",
      description: "",
      nodes: [{ label: "red" }, { label: "blue" }],
    });
    if (!taxonomy.ok) throw new Error(taxonomy.error.message);
    const w = interfered(ports, async () => {
      const changed = await updateTaxonomy(ports, r.caller, r.namespaceId, taxonomy.value.id, {
        nodes: [{ label: "red" }],
      });
      if (!changed.ok) throw new Error(changed.error.message);
    });
    const label = (name: string) => ({ taxonomyLabels: [{ taxonomy_id: taxonomy.value.id, label: name }] });
    const batchId = await batchOf(r, w.ports, [
      item("doc_red", 1, label("red")),
      item("doc_blue", 2, label("blue")),
    ]);
    const processed = await processBatchChunk(w.ports, batchId, 0);
    expect(processed).toEqual(ok({ kind: "processed", succeeded: 1, failed: 1, finished: true }));
    expect(w.stages()).toBe(2);
    expect((await storedDocument(r, "doc_red"))?.record.taxonomy_labels).toEqual([
      { taxonomy_id: taxonomy.value.id, label: "red" },
    ]);
    expect(await storedDocument(r, "doc_blue")).toBeUndefined();
    expect(await searchIds(ports, r, [1, 2, 0])).toEqual(["doc_red"]);
  });

  it("plans an update again when its document was deleted and created again under its id (the same version, another record), and changes the new one", async () => {
    const r = await rig();
    const ports = await r.ports();
    expect((await put(ports, r, "doc_again", 1, [1, 0, 0])).ok).toBe(true);
    const w = interfered(ports, async () => {
      const documents = r.store.table<DocumentRecord>(DOCUMENTS_TABLE);
      const key = documentKey(r.collection.id, "doc_again");
      if (!(await documents.delete(key))) throw new Error("not deleted");
      const inserted = await documents.insert({ ...sample(r, "doc_again"), text: "the other one" });
      if (!inserted.ok) throw new Error(inserted.error);
    });
    const updated = await updateDocument(w.ports, r.caller, r.namespaceId, r.collection.id, "doc_again", {
      metadata: { n: 5 },
      features: { [URI]: [0, 1, 1] },
    });
    expect(updated.ok).toBe(true);
    expect(w.stages()).toBe(2);
    const stored = await storedDocument(r, "doc_again");
    expect([
      stored?.version,
      stored?.record.text,
      stored?.record.metadata,
      stored?.record.feature_uris,
    ]).toEqual([2, "the other one", { n: 5 }, [URI]]);
    expect(await vectorsOf(ports, r, "doc_again")).toEqual([[0, 1, 1]]);
  });

  it("does not plan a chunk again for what it does not rest on: the batch moved by its other chunk, another document written", async () => {
    const r = await rig();
    const ports = await r.ports();
    const plain: BatchPorts = { ...ports, enqueueChunks: async () => undefined };
    let batchId = "";
    const w = interfered(ports, async () => {
      const other = await processBatchChunk(plain, batchId, 1);
      expect(other).toEqual(ok({ kind: "processed", succeeded: 1, failed: 0, finished: false }));
      expect((await put(ports, r, "doc_elsewhere", 9, [9, 9, 1])).ok).toBe(true);
    });
    const items = Array.from({ length: BATCH_CHUNK_SIZE + 1 }, (_, i) => item(`doc_${i}`, i + 1));
    batchId = await batchOf(r, w.ports, items);
    const processed = await processBatchChunk(w.ports, batchId, 0);
    expect(processed).toEqual(
      ok({ kind: "processed", succeeded: BATCH_CHUNK_SIZE, failed: 0, finished: true }),
    );
    expect(w.stages()).toBe(1);
    const batch = await getBatch(w.ports, r.caller, r.namespaceId, batchId);
    expect(
      batch.ok && [batch.value.batch.status, batch.value.batch.succeeded, batch.value.batch.chunks_done],
    ).toEqual(["completed", BATCH_CHUNK_SIZE + 1, 2]);
    expect(await vectorsOf(ports, r, "doc_0")).toEqual([[1, 1, 0]]);
  });
});
