import { type AppError, err, ok, type Result, unavailable } from "@strata/errors";
import {
  CLONE_PAGE,
  type CloneCleanUp,
  type CloneStep,
  cloneIdOf,
  deleteClonedRecords,
} from "../../shared/clone-step.js";
import { storageKeyOf } from "./object-key.js";
import type { BucketPorts } from "./ports.js";
import { BUCKET_OBJECTS_TABLE, BUCKETS_TABLE, type BucketRecord, type ObjectRecord } from "./tables.js";

/**
 * The source's buckets and objects under the clone's ids. Object bytes are immutable per object
 * id (a replacing upload gets a new id), so copying the bytes the snapshot's records name copies
 * them as they were (`ObjectStore.copy`: server-side on S3); the copies go under the clone's
 * namespace prefix, which `cleanUpBuckets` removes when the clone fails. Records go a page at a
 * time after their bytes.
 */
export function cloneBuckets(ports: BucketPorts): CloneStep {
  return async ({ tx, sourceNamespaceId, target }) => {
    const sources = await tx
      .table<BucketRecord>(BUCKETS_TABLE)
      .find({ where: { namespace_id: sourceNamespaceId, state: "active" } });
    const objects: ObjectRecord[] = [];
    for (const { record: bucket } of sources) {
      const found = await tx
        .table<ObjectRecord>(BUCKET_OBJECTS_TABLE)
        .find({ where: { bucket_id: bucket.id } });
      objects.push(...found.map((o) => o.record));
    }
    return ok(async (writer) => {
      const copiedBuckets = await writer.insert(
        BUCKETS_TABLE,
        sources.map(({ record }) => ({
          ...record,
          id: cloneIdOf("bucket", target, record.id),
          namespace_id: target.namespaceId,
          organization_id: target.organizationId,
        })),
      );
      if (!copiedBuckets.ok) return copiedBuckets;
      let bytes = 0;
      for (let start = 0; start < objects.length; start += CLONE_PAGE) {
        const copies: ObjectRecord[] = [];
        for (const record of objects.slice(start, start + CLONE_PAGE)) {
          const bucketId = cloneIdOf("bucket", target, record.bucket_id);
          const id = cloneIdOf("object", target, record.id);
          const storageKey = storageKeyOf(target.namespaceId, bucketId, id);
          const bytesCopied = await copyBytes(ports, record.storage_key, storageKey);
          if (!bytesCopied.ok) return bytesCopied;
          copies.push({
            ...record,
            id,
            bucket_id: bucketId,
            namespace_id: target.namespaceId,
            organization_id: target.organizationId,
            storage_key: storageKey,
          });
          bytes += record.size;
        }
        const copied = await writer.insert(BUCKET_OBJECTS_TABLE, copies);
        if (!copied.ok) return copied;
        writer.progress({ objects: copies.length });
      }
      return ok({ buckets: copiedBuckets.value, objects: objects.length, bytes });
    });
  };
}

async function copyBytes(ports: BucketPorts, from: string, to: string): Promise<Result<void, AppError>> {
  const copied = await ports.objects.copy(from, to);
  // The snapshot names bytes a delete removed after it: the snapshot cannot hold, so fail clearly.
  return copied.ok
    ? ok(undefined)
    : err(unavailable(`An object of the source went during the clone (${from})`));
}

/** A failed clone's object bytes (everything under its namespace's prefix) and records. */
export function cleanUpBuckets(ports: BucketPorts): CloneCleanUp {
  return async (targetNamespaceId) => {
    await ports.objects.deletePrefix(`${targetNamespaceId}/`);
    return deleteClonedRecords(ports.store, [BUCKET_OBJECTS_TABLE, BUCKETS_TABLE])(targetNamespaceId);
  };
}
