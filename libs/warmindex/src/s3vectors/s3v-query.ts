import type { S3VectorsFilter } from "@strata/filter";
import { PARTITION_KEY } from "./s3v-metadata.js";
import { PARTITIONS } from "./s3v-naming.js";

export interface RawHit {
  readonly key: string;
  readonly distance: number;
  readonly metadata: unknown;
}

/** One QueryVectors call sequence (following nextToken) with at most `topK` results. */
export type RunQuery = (filter: S3VectorsFilter | undefined, topK: number) => Promise<RawHit[]>;

/** More than `maxTopK` of the best matches fall into one partition: no exact answer can be built. */
export class PartitionOverflow extends Error {}

interface Range {
  readonly lo: number;
  readonly hi: number;
  hits?: RawHit[];
}

/**
 * The exact top-k for k above the service's topK limit L (ADR 0022). Every vector carries a partition
 * number (a hash of its key, 0…65535); the key space is cut into ranges, each queried with topK = L.
 * A range that returned fewer than L hits is complete. A full range is exact only above its last
 * distance, so while a full range's last distance is within the current k-th best (or the threshold),
 * it is split in two and both halves are queried again. When no range needs splitting, the k best of
 * the union are exactly the k best overall (any unseen vector is worse than a seen k-th).
 */
export async function fanOutQuery(
  run: RunQuery,
  filter: S3VectorsFilter | undefined,
  k: number,
  maxTopK: number,
  maxDistance: number,
): Promise<RawHit[]> {
  const initial = Math.min(PARTITIONS, 2 * Math.ceil(k / maxTopK));
  let ranges: Range[] = Array.from({ length: initial }, (_, i) => ({
    lo: Math.floor((i * PARTITIONS) / initial),
    hi: Math.floor(((i + 1) * PARTITIONS) / initial),
  }));
  for (;;) {
    await Promise.all(
      ranges
        .filter((r) => r.hits === undefined)
        .map(async (r) => {
          r.hits = await run(withRange(filter, r), maxTopK);
        }),
    );
    const all = ranges.flatMap((r) => r.hits ?? []).sort((a, b) => a.distance - b.distance);
    const kth =
      all.length >= k ? (all[k - 1]?.distance ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY;
    const bound = Math.min(kth, maxDistance);
    const open = (r: Range) => (r.hits?.length ?? 0) >= maxTopK && (r.hits?.at(-1)?.distance ?? 0) <= bound;
    if (!ranges.some(open)) return all.slice(0, k);
    ranges = ranges.flatMap((r) => {
      if (!open(r)) return [r];
      if (r.hi - r.lo < 2)
        throw new PartitionOverflow(`more than ${maxTopK} of the best matches share a partition`);
      const mid = (r.lo + r.hi) >> 1;
      return [
        { lo: r.lo, hi: mid },
        { lo: mid, hi: r.hi },
      ];
    });
  }
}

function withRange(filter: S3VectorsFilter | undefined, r: Range): S3VectorsFilter {
  const range: S3VectorsFilter[] = [{ [PARTITION_KEY]: { $gte: r.lo } }, { [PARTITION_KEY]: { $lt: r.hi } }];
  return { $and: filter ? [filter, ...range] : range };
}
