import type { StoredRecord, Where } from "@strata/docstore";
import { type AppError, ok, type Result } from "@strata/errors";
import type { ObjectStore } from "@strata/objectstore";
import type { DataPorts } from "../../domain/data-ports.js";
import { closeUnfinishedBatch } from "../batches/close-batch.js";
import { BATCH_CHUNKS_TABLE, BATCHES_TABLE, type BatchRecord } from "../batches/tables.js";
import { removeBucketData } from "../buckets/delete-bucket.js";
import { BUCKETS_TABLE, type BucketRecord } from "../buckets/tables.js";
import { removeCollectionData } from "../collections/delete-collection.js";
import { COLLECTIONS_TABLE, type CollectionRecord } from "../collections/tables.js";
import { TAXONOMIES_TABLE } from "../taxonomies/tables.js";

export interface PurgePorts extends DataPorts {
  readonly objects: ObjectStore;
}

export interface PurgedNamespace {
  readonly collections: number;
  readonly documents: number;
  readonly buckets: number;
  readonly taxonomies: number;
  readonly batches: number;
}

/** Records read per step; the loops run until a read comes back empty. */
const PAGE = 100;

/**
 * Removes everything a deleted namespace held (DESIGN §6): every collection with its documents
 * (each with its document.deleted event, cause namespace_deleted) and vectors, every bucket with
 * its objects' records and bytes, its taxonomies, and its batches with their chunks (a batch still
 * running first publishes its batch.completed/failed). It runs on namespace.deleted, after
 * the namespace record is gone, so nothing new can be written into it (every write resolves the
 * namespace in its transaction first). Every step is idempotent: an interrupted purge repeated
 * from the start finishes the work and removes nothing twice.
 */
export async function purgeNamespace(
  ports: PurgePorts,
  namespaceId: string,
): Promise<Result<PurgedNamespace, AppError>> {
  const inNamespace = { namespace_id: namespaceId };
  let documents = 0;
  const collections = await drain<CollectionRecord>(ports, COLLECTIONS_TABLE, inNamespace, async (record) => {
    const removed = await removeCollectionData(ports, record, "namespace_deleted");
    if (removed.ok) documents += removed.value;
    return removed;
  });
  if (!collections.ok) return collections;
  const buckets = await drain<BucketRecord>(ports, BUCKETS_TABLE, inNamespace, async (record) =>
    ok(await removeBucketData(ports, record)),
  );
  if (!buckets.ok) return buckets;
  const taxonomies = await ports.store.table(TAXONOMIES_TABLE).deleteMany(inNamespace);
  const batches = await drain<BatchRecord>(ports, BATCHES_TABLE, inNamespace, async (record) => {
    // A batch still running ends now, with its batch.completed/failed event, before it goes.
    const closed = await closeUnfinishedBatch(ports, record.id);
    if (!closed.ok) return closed;
    // Chunks first: a batch record without chunks is harmless, chunks without a batch are not found.
    await ports.store.table(BATCH_CHUNKS_TABLE).deleteMany({ batch_id: record.id });
    await ports.store.table(BATCHES_TABLE).delete(record.id);
    return ok(undefined);
  });
  if (!batches.ok) return batches;
  return ok({
    collections: collections.value,
    documents,
    buckets: buckets.value,
    taxonomies,
    batches: batches.value,
  });
}

/**
 * Reads the matching records a page at a time and removes each (`remove` must make it stop
 * matching), until a read comes back empty. Answers how many were removed.
 */
async function drain<T extends StoredRecord>(
  ports: PurgePorts,
  table: string,
  where: Where,
  remove: (record: T) => Promise<Result<unknown, AppError>>,
): Promise<Result<number, AppError>> {
  let removed = 0;
  for (;;) {
    const page = await ports.store.table<T>(table).find({ where, limit: PAGE });
    if (page.length === 0) return ok(removed);
    for (const { record } of page) {
      const done = await remove(record);
      if (!done.ok) return done;
      removed += 1;
    }
  }
}
