import { openFsObjectStore } from "@strata/objectstore";
import { tempDir } from "@strata/testkit";
import { describe, expect, it, onTestFinished } from "vitest";
import { bucketObjects } from "../../adapters/objectstore/bucket-objects.js";
import { type ModuleAdapters, modulePurgeSteps } from "../../modules.js";
import { testData } from "../../shared/data-test-support.js";
import { callerOf } from "../../shared/test-support.js";
import { createBatch } from "../batches/create-batch.js";
import type { BatchChunkRef } from "../batches/ports.js";
import { processBatchChunk } from "../batches/process-chunk.js";
import { BATCH_CHUNK_SIZE, BATCHES_TABLE } from "../batches/tables.js";
import { withClonePorts } from "../clones/clone-test-support.js";
import { createCollection } from "../collections/create-collection.js";
import type { NewDocumentInput } from "../documents/create-document.js";
import { DOCUMENTS_TABLE } from "../documents/tables.js";
import { purgeNamespace } from "./purge-namespace.js";

const URI = "strata://test@v1/embedding";

const doc = (i: number): NewDocumentInput => ({ features: { [URI]: [1, i + 1, 0.5] }, taxonomyLabels: [] });

async function setup() {
  const t = await testData();
  const dir = await tempDir("purge-objects");
  onTestFinished(() => dir.remove());
  const queued: BatchChunkRef[] = [];
  const ports: ModuleAdapters = withClonePorts({
    ...t.ports,
    objects: bucketObjects(await openFsObjectStore({ root: dir.path })),
    maxObjectBytes: 1024,
    enqueueChunks: async (chunks) => {
      queued.push(...chunks);
    },
  });
  const admin = callerOf(t.organizationId);
  const made = await createCollection(ports, admin, t.namespaceId, {
    collectionName: "items",
    description: "",
    features: [{ featureUri: URI, dimensions: 3, metric: "cosine" }],
    metadataSchema: undefined,
    indexedFields: [],
  });
  if (!made.ok) throw new Error(made.error.message);
  const startBatch = async (count: number) => {
    const docs = Array.from({ length: count }, (_, i) => doc(i));
    const batch = await createBatch(ports, admin, t.namespaceId, made.value.id, docs);
    if (!batch.ok) throw new Error(batch.error.message);
    return batch.value.id;
  };
  const eventsOf = async (prefix: string) => (await t.events()).filter((e) => e.type.startsWith(prefix));
  // What the namespace.deleted consumer runs: every module's purge step, in the registry's order.
  const steps = modulePurgeSteps(ports);
  return { t, ports, steps, startBatch, eventsOf };
}

describe("purgeNamespace", () => {
  it("ends a batch that was still running with one batch.completed, and its late chunks do nothing", async () => {
    const s = await setup();
    const batchId = await s.startBatch(BATCH_CHUNK_SIZE + 10);
    const first = await processBatchChunk(s.ports, batchId, 0);
    expect(first.ok && first.value.kind).toBe("processed");

    const purged = await purgeNamespace(s.steps, s.t.namespaceId);
    expect(purged.ok && purged.value).toMatchObject({
      collections: 1,
      documents: BATCH_CHUNK_SIZE,
      batches: 1,
    });

    const late = await processBatchChunk(s.ports, batchId, 1);
    expect(late).toEqual({ ok: true, value: { kind: "already_done" } });
    const again = await purgeNamespace(s.steps, s.t.namespaceId);
    expect(again.ok && again.value.batches).toBe(0);

    const batchEvents = await s.eventsOf("batch.");
    expect(batchEvents.map((e) => [e.type, e.data])).toEqual([
      [
        "batch.completed",
        expect.objectContaining({
          batch_id: batchId,
          total: BATCH_CHUNK_SIZE + 10,
          succeeded: BATCH_CHUNK_SIZE,
          failed: 10,
        }),
      ],
    ]);
    expect(await s.t.store.table(BATCHES_TABLE).count({ namespace_id: s.t.namespaceId })).toBe(0);
  });

  it("ends a batch none of whose chunks ran with batch.failed", async () => {
    const s = await setup();
    const batchId = await s.startBatch(3);
    const purged = await purgeNamespace(s.steps, s.t.namespaceId);
    expect(purged.ok).toBe(true);
    const batchEvents = await s.eventsOf("batch.");
    expect(batchEvents.map((e) => [e.type, e.data])).toEqual([
      ["batch.failed", expect.objectContaining({ batch_id: batchId, total: 3, succeeded: 0, failed: 3 })],
    ]);
  });

  it("publishes nothing more for a batch that had already finished", async () => {
    const s = await setup();
    const batchId = await s.startBatch(2);
    await processBatchChunk(s.ports, batchId, 0);
    await purgeNamespace(s.steps, s.t.namespaceId);
    expect((await s.eventsOf("batch.")).map((e) => e.type)).toEqual(["batch.completed"]);
  });

  it("says the namespace deleted each purged document, and leaves the other namespace alone", async () => {
    const s = await setup();
    const batchId = await s.startBatch(4);
    await processBatchChunk(s.ports, batchId, 0);
    await purgeNamespace(s.steps, s.t.otherNamespaceId);
    expect(await s.t.store.table(DOCUMENTS_TABLE).count({ namespace_id: s.t.namespaceId })).toBe(4);

    await purgeNamespace(s.steps, s.t.namespaceId);
    const deleted = await s.eventsOf("document.deleted");
    expect(deleted).toHaveLength(4);
    expect(new Set(deleted.map((e) => (e.data as { cause: string }).cause))).toEqual(
      new Set(["namespace_deleted"]),
    );
    expect(await s.t.store.table(DOCUMENTS_TABLE).count({ namespace_id: s.t.namespaceId })).toBe(0);
  });
});
