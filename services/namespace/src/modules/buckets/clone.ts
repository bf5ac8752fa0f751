import { type AppError, err, ok, type Result, unavailable } from "@strata/errors";
import { type CloneCleanUp, type CloneStep, cloneIdOf, insertCopies } from "../../shared/clone-step.js";
import { storageKeyOf } from "./object-key.js";
import type { BucketPorts } from "./ports.js";
import { BUCKET_OBJECTS_TABLE, BUCKETS_TABLE, type BucketRecord, type ObjectRecord } from "./tables.js";

/**
 * The source's buckets and objects under the clone's ids. Object bytes are immutable per object
 * id (a replacing upload gets a new id), so copying the bytes the snapshot's records name copies
 * them as they were; the copies go under the clone's namespace prefix, which `cleanUpBuckets`
 * removes when the clone fails before its transaction commits.
 */
export function cloneBuckets(ports: BucketPorts): CloneStep {
  return async ({ tx, sourceNamespaceId, target }) => {
    const buckets = tx.table<BucketRecord>(BUCKETS_TABLE);
    const sources = await buckets.find({ where: { namespace_id: sourceNamespaceId, state: "active" } });
    const copiedBuckets = await insertCopies(
      buckets,
      sources.map(({ record }) => ({
        ...record,
        id: cloneIdOf("bucket", target, record.id),
        namespace_id: target.namespaceId,
        organization_id: target.organizationId,
      })),
    );
    if (!copiedBuckets.ok) return copiedBuckets;
    const objects = tx.table<ObjectRecord>(BUCKET_OBJECTS_TABLE);
    let count = 0;
    let bytes = 0;
    for (const { record: bucket } of sources) {
      const bucketId = cloneIdOf("bucket", target, bucket.id);
      for (const { record } of await objects.find({ where: { bucket_id: bucket.id } })) {
        const id = cloneIdOf("object", target, record.id);
        const storageKey = storageKeyOf(target.namespaceId, bucketId, id);
        const bytesCopied = await copyBytes(ports, record.storage_key, storageKey);
        if (!bytesCopied.ok) return bytesCopied;
        const copied = await insertCopies(objects, [
          {
            ...record,
            id,
            bucket_id: bucketId,
            namespace_id: target.namespaceId,
            organization_id: target.organizationId,
            storage_key: storageKey,
          },
        ]);
        if (!copied.ok) return copied;
        count++;
        bytes += record.size;
      }
    }
    return ok({ buckets: copiedBuckets.value, objects: count, bytes });
  };
}

async function copyBytes(ports: BucketPorts, from: string, to: string): Promise<Result<void, AppError>> {
  const copied = await ports.objects.copy(from, to);
  // The snapshot names bytes a delete removed after it: the snapshot cannot hold, so fail clearly.
  return copied.ok
    ? ok(undefined)
    : err(unavailable(`An object of the source went during the clone (${from})`));
}

/** A failed clone's object bytes: everything under its namespace's prefix. */
export function cleanUpBuckets(ports: BucketPorts): CloneCleanUp {
  return async (targetNamespaceId) => {
    await ports.objects.deletePrefix(`${targetNamespaceId}/`);
    return ok(undefined);
  };
}
