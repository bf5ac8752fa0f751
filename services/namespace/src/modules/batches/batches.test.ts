import { MAX_BATCH_DOCUMENTS } from "@strata/contracts";
import { describe, expect, it } from "vitest";
import { kindOf, testData } from "../../shared/data-test-support.js";
import { callerOf } from "../../shared/test-support.js";
import { createCollection } from "../collections/create-collection.js";
import type { NewDocumentInput } from "../documents/create-document.js";
import { DOCUMENTS_TABLE } from "../documents/tables.js";
import { createBatch } from "./create-batch.js";
import type { BatchChunkRef, BatchPorts } from "./ports.js";
import { processBatchChunk } from "./process-chunk.js";
import { getBatch, unfinishedChunks } from "./read-batch.js";
import { BATCH_CHUNK_ITEMS_TABLE, BATCH_CHUNK_SIZE, BATCH_CHUNKS_TABLE, BATCHES_TABLE } from "./tables.js";

const TEXT = "strata://text_extractor@v1/text_embedding";

async function setup() {
  const t = await testData();
  const admin = callerOf(t.organizationId);
  const made = await createCollection(t.ports, admin, t.namespaceId, {
    collectionName: "products",
    description: "",
    features: [{ featureUri: TEXT, dimensions: 3, metric: "cosine" }],
    metadataSchema: undefined,
    indexedFields: [],
  });
  if (!made.ok) throw new Error(JSON.stringify(made.error));
  const queued: BatchChunkRef[] = [];
  const ports: BatchPorts = {
    ...t.ports,
    enqueueChunks: async (chunks) => {
      queued.push(...chunks);
    },
  };
  const batchEvents = async () => (await t.events()).filter((e) => e.type.startsWith("batch."));
  const documentCount = () => t.store.table(DOCUMENTS_TABLE).count({ collection_id: made.value.id });
  return { t, admin, ports, queued, collectionId: made.value.id, batchEvents, documentCount };
}

const good = (i: number): NewDocumentInput => ({
  metadata: { n: i },
  features: { [TEXT]: [1, i + 1, 0.5] },
  taxonomyLabels: [],
});
const wrongDimension: NewDocumentInput = { features: { [TEXT]: [1, 2] }, taxonomyLabels: [] };

describe("batches", () => {
  it("shows an end user its own batches only, documents its own, another's as missing (ADR 0018)", async () => {
    const s = await setup();
    const alice = callerOf(s.t.organizationId, { permissions: ["write"], principalId: "alice" });
    const bob = callerOf(s.t.organizationId, { permissions: ["write"], principalId: "bob" });
    const made = await createBatch(s.ports, alice, s.t.namespaceId, "products", [good(1)]);
    if (!made.ok) throw new Error(made.error.message);
    for (const ref of s.queued) await processBatchChunk(s.ports, ref.batchId, ref.chunk);
    expect((await getBatch(s.ports, alice, s.t.namespaceId, made.value.id)).ok).toBe(true);
    expect((await getBatch(s.ports, s.admin, s.t.namespaceId, made.value.id)).ok).toBe(true);
    expect(kindOf(await getBatch(s.ports, bob, s.t.namespaceId, made.value.id))).toBe("not_found");
    const [stored] = await s.t.store.table<{ id: string; _acl: unknown }>(DOCUMENTS_TABLE).find();
    expect(stored?.record._acl).toEqual({ owner: "alice", read: ["alice"], write: ["alice"], public: false });
  });

  it("stores a batch as pending and enqueues one message per chunk", async () => {
    const s = await setup();
    const docs = Array.from({ length: BATCH_CHUNK_SIZE + 3 }, (_, i) => good(i));
    const made = await createBatch(s.ports, s.admin, s.t.namespaceId, "products", docs);
    if (!made.ok) throw new Error(made.error.message);
    expect(made.value.status).toBe("pending");
    expect(s.queued).toEqual([
      { batchId: made.value.id, chunk: 0 },
      { batchId: made.value.id, chunk: 1 },
    ]);
    expect(await s.documentCount()).toBe(0);
    expect(await unfinishedChunks(s.ports)).toEqual(s.queued);
  });

  it("processes each chunk once: a redelivered chunk writes nothing and publishes nothing", async () => {
    const s = await setup();
    const docs = [good(0), wrongDimension, good(2), { ...good(3), documentId: "chosen-3" }];
    const made = await createBatch(s.ports, s.admin, s.t.namespaceId, s.collectionId, docs);
    if (!made.ok) throw new Error(made.error.message);
    const first = await processBatchChunk(s.ports, made.value.id, 0);
    expect(first).toEqual({
      ok: true,
      value: { kind: "processed", succeeded: 3, failed: 1, finished: true },
    });
    const again = await processBatchChunk(s.ports, made.value.id, 0);
    expect(again).toEqual({ ok: true, value: { kind: "already_done" } });
    expect(await s.documentCount()).toBe(3);
    const events = await s.batchEvents();
    expect(events.map((e) => [e.type, e.data])).toEqual([
      [
        "batch.completed",
        {
          batch_id: made.value.id,
          collection_id: s.collectionId,
          namespace_id: s.t.namespaceId,
          organization_id: s.t.organizationId,
          total: 4,
          succeeded: 3,
          failed: 1,
        },
      ],
    ]);
    const view = await getBatch(s.ports, s.admin, s.t.namespaceId, made.value.id);
    if (!view.ok) throw new Error(view.error.message);
    expect(view.value.batch).toMatchObject({ status: "completed", total: 4, succeeded: 3, failed: 1 });
    expect(view.value.errors).toHaveLength(1);
    expect(view.value.errors[0]?.index).toBe(1);
    expect(view.value.errors[0]?.error.type).toBe("ValidationError");
    expect(view.value.errors[0]?.error.message).toMatch(/dimension|3/);
    expect(await unfinishedChunks(s.ports)).toEqual([]);
  });

  it("gives generated documents an id derived from the batch and the index", async () => {
    const s = await setup();
    const made = await createBatch(s.ports, s.admin, s.t.namespaceId, s.collectionId, [good(0), good(1)]);
    if (!made.ok) throw new Error(made.error.message);
    await processBatchChunk(s.ports, made.value.id, 0);
    const docs = await s.t.store.table<{ id: string; document_id: string }>(DOCUMENTS_TABLE).find();
    expect(docs.map((d) => d.record.document_id).sort()).toEqual([
      `${made.value.id}-0`,
      `${made.value.id}-1`,
    ]);
  });

  it("counts progress over chunks and finishes with the last one, failed when every item failed", async () => {
    const s = await setup();
    const docs = Array.from({ length: BATCH_CHUNK_SIZE + 1 }, () => wrongDimension);
    const made = await createBatch(s.ports, s.admin, s.t.namespaceId, s.collectionId, docs);
    if (!made.ok) throw new Error(made.error.message);
    const second = await processBatchChunk(s.ports, made.value.id, 1);
    expect(second.ok && second.value.kind === "processed" && second.value.finished).toBe(false);
    const mid = await getBatch(s.ports, s.admin, s.t.namespaceId, made.value.id);
    expect(mid.ok && mid.value.batch.status).toBe("processing");
    expect(await s.batchEvents()).toEqual([]);
    await processBatchChunk(s.ports, made.value.id, 0);
    await processBatchChunk(s.ports, made.value.id, 1);
    const end = await getBatch(s.ports, s.admin, s.t.namespaceId, made.value.id);
    if (!end.ok) throw new Error(end.error.message);
    expect(end.value.batch).toMatchObject({ status: "failed", succeeded: 0, failed: BATCH_CHUNK_SIZE + 1 });
    expect(end.value.errors.map((e) => e.index)).toEqual(docs.map((_, i) => i));
    expect((await s.batchEvents()).map((e) => e.type)).toEqual(["batch.failed"]);
  });

  it("refuses an empty or oversized batch and a foreign namespace, writing nothing", async () => {
    const s = await setup();
    const empty = await createBatch(s.ports, s.admin, s.t.namespaceId, s.collectionId, []);
    expect(kindOf(empty)).toBe("validation");
    const big = Array.from({ length: MAX_BATCH_DOCUMENTS + 1 }, (_, i) => good(i));
    const tooBig = await createBatch(s.ports, s.admin, s.t.namespaceId, s.collectionId, big);
    expect(kindOf(tooBig)).toBe("payload_too_large");
    const foreign = await createBatch(s.ports, s.admin, s.t.otherNamespaceId, s.collectionId, [good(0)]);
    expect(kindOf(foreign)).toBe("not_found");
    expect(s.queued).toEqual([]);
    const made = await createBatch(s.ports, s.admin, s.t.namespaceId, s.collectionId, [good(0)]);
    if (!made.ok) throw new Error(made.error.message);
    const elsewhere = await getBatch(s.ports, s.admin, s.t.otherNamespaceId, made.value.id);
    expect(kindOf(elsewhere)).toBe("not_found");
  });

  it("answers a repeated creation with one request token with the first batch, never a second", async () => {
    const s = await setup();
    const token = "tok_A1b2C3d4E5f6G7h8I9j0";
    const docs = [good(0), good(1)];
    const first = await createBatch(s.ports, s.admin, s.t.namespaceId, s.collectionId, docs, token);
    if (!first.ok) throw new Error(first.error.message);
    await processBatchChunk(s.ports, first.value.id, 0);
    const again = await createBatch(s.ports, s.admin, s.t.namespaceId, "products", docs, token);
    if (!again.ok) throw new Error(again.error.message);
    expect(again.value.id).toBe(first.value.id);
    // The batch as it is now, not a new pending one; nothing enqueued a second time.
    expect(again.value).toMatchObject({ status: "completed", total: 2, succeeded: 2 });
    expect(s.queued).toEqual([{ batchId: first.value.id, chunk: 0 }]);
    expect(await s.t.store.table(BATCHES_TABLE).count()).toBe(1);
    expect(await s.documentCount()).toBe(2);
    const other = await createBatch(s.ports, s.admin, s.t.namespaceId, s.collectionId, docs, `${token}x`);
    if (!other.ok) throw new Error(other.error.message);
    expect(other.value.id).not.toBe(first.value.id);
    const bad = await createBatch(s.ports, s.admin, s.t.namespaceId, s.collectionId, docs, "no spaces here!");
    expect(kindOf(bad)).toBe("validation");
  });

  it("keeps a chunk's items apart from its progress, and drops them once the chunk is written", async () => {
    const s = await setup();
    const docs = Array.from({ length: BATCH_CHUNK_SIZE + 3 }, (_, i) => good(i));
    const made = await createBatch(s.ports, s.admin, s.t.namespaceId, "products", docs);
    if (!made.ok) throw new Error(made.error.message);
    // What a status read parses: the chunks' progress, not their vectors.
    const chunks = await s.t.store.table(BATCH_CHUNKS_TABLE).find({ where: { batch_id: made.value.id } });
    expect(chunks.map((c) => Object.keys(c.record).includes("items"))).toEqual([false, false]);
    const items = s.t.store.table(BATCH_CHUNK_ITEMS_TABLE);
    expect(await items.count({ batch_id: made.value.id })).toBe(2);
    await processBatchChunk(s.ports, made.value.id, 0);
    expect(await items.count({ batch_id: made.value.id })).toBe(1);
    await processBatchChunk(s.ports, made.value.id, 1);
    expect(await items.count({ batch_id: made.value.id })).toBe(0);
    expect(await s.documentCount()).toBe(docs.length);
  });
});
