import { ok } from "@strata/errors";
import { drain } from "../../shared/drain.js";
import type { PurgeStep } from "../../shared/purge-step.js";
import { removeBucketData } from "./delete-bucket.js";
import type { BucketPorts } from "./ports.js";
import { BUCKETS_TABLE, type BucketRecord } from "./tables.js";

/** A deleted namespace's buckets, each like a bucket delete: object records, bytes, record. */
export function purgeBuckets(ports: BucketPorts): PurgeStep {
  return async (namespaceId) => {
    const buckets = await drain<BucketRecord>(
      ports.store,
      BUCKETS_TABLE,
      { namespace_id: namespaceId },
      async (record) => ok(await removeBucketData(ports, record)),
    );
    return buckets.ok ? ok({ buckets: buckets.value }) : buckets;
  };
}
