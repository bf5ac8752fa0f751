import type { S3VectorsClientConfig } from "@aws-sdk/client-s3vectors";
import type { AppError, Result } from "@strata/errors";
import { err, ok, validationFailed } from "@strata/errors";
import type { BoundFilterNode } from "@strata/filter";
import { toPredicate } from "@strata/filter";
import type { Hit, HotRecord, Metric, StoredVector } from "@strata/hotindex";
import {
  euclideanDistanceForScore,
  euclideanScore,
  validateRecords,
  validateSearch,
  validateSpace,
} from "@strata/hotindex";
import type { WarmIndex, WarmIndexStats, WarmSpace, WarmSpaceStats } from "../port.js";
import { orAbsent, refOfKey, S3VectorsCalls } from "./s3v-calls.js";
import { s3VectorsError } from "./s3v-errors.js";
import { serviceFilter } from "./s3v-filter.js";
import { type PutVector, payloadOf, toPutVector } from "./s3v-metadata.js";
import { checkIndexPrefix, collectionKeyPrefix, namespaceIndexPrefix, vectorKey } from "./s3v-naming.js";
import { fanOutQuery, PartitionOverflow, type RawHit } from "./s3v-query.js";

export interface S3VectorsWarmIndexOptions {
  readonly client: S3VectorsClientConfig;
  /** The deployment's one vector bucket (it must exist). */
  readonly vectorBucketName: string;
  /** Start of every index name this index creates (default "strata"; ≤ 20 of [a-z0-9-]). */
  readonly indexPrefix?: string;
  /** The service's topK limit per QueryVectors (AWS documents 100; larger k fans out, see ADR 0022). */
  readonly maxTopK?: number;
  /** Payload paths kept out of filterable metadata (large texts); filters on them are refused. */
  readonly nonFilterableFields?: readonly string[];
  /** Requests in flight at once per call (default 4). */
  readonly concurrency?: number;
}

/**
 * The warm tier on Amazon S3 Vectors (ADR 0006, 0022): one vector index per space in the deployment's
 * vector bucket; filters translated by `toS3VectorsFilter`; scores from the returned distances, the
 * same values as `exactScore` (cosine 1 − d, euclidean 1 / (1 + d)). Cosine and euclidean only.
 * The requests themselves, split to the service's limits, are in `S3VectorsCalls`.
 */
export function openS3VectorsWarmIndex(options: S3VectorsWarmIndexOptions): WarmIndex {
  const prefix = options.indexPrefix ?? "strata";
  checkIndexPrefix(prefix);
  const calls = new S3VectorsCalls(
    options.client,
    options.vectorBucketName,
    prefix,
    options.concurrency ?? 4,
  );
  const maxTopK = options.maxTopK ?? 100;
  const nonFilterable = options.nonFilterableFields ?? [];

  function checkSpace(space: WarmSpace): Result<void, AppError> {
    const valid = validateSpace(space);
    if (!valid.ok) return valid;
    if (!supportsMetric(space.metric)) {
      const message = `S3 Vectors holds cosine and euclidean vectors only, not ${space.metric}`;
      return err(
        validationFailed([{ location: "space.metric", message, type: "unsupported_metric" }], message),
      );
    }
    return ok(undefined);
  }

  /** Checks the space, runs `work`, and turns what S3 Vectors threw into an AppError. */
  async function guarded<T>(
    space: WarmSpace | undefined,
    work: () => Promise<T>,
  ): Promise<Result<T, AppError>> {
    if (space) {
      const valid = checkSpace(space);
      if (!valid.ok) return valid;
    }
    try {
      return ok(await work());
    } catch (e) {
      if (e instanceof PartitionOverflow) {
        return err(
          validationFailed(
            [{ location: "k", message: e.message, type: "k_too_large" }],
            "k too large for S3 Vectors",
          ),
        );
      }
      return err(s3VectorsError(e));
    }
  }

  function toHit(metric: Metric, raw: RawHit): Hit {
    const { collectionId, id } = refOfKey(raw.key);
    return { id, collectionId, score: scoreOf(metric, raw.distance), payload: payloadOf(raw.metadata) };
  }

  function supportsMetric(metric: Metric): boolean {
    return metric === "cosine" || metric === "euclidean";
  }

  async function countOf(space: WarmSpace): Promise<number> {
    let n = 0;
    for await (const page of calls.list(space, false)) n += page.length;
    return n;
  }

  return {
    supportsMetric,

    ensureSpace: (space) => guarded(space, () => calls.ensureIndex(space)),

    upsert: async (space, records) => {
      const valid = checkSpace(space);
      if (!valid.ok) return valid;
      const checked = validateRecords(space, records);
      if (!checked.ok) return checked;
      const unique = [...new Map(records.map((r) => [vectorKey(r.collectionId, r.id), r])).values()];
      const vectors: PutVector[] = [];
      for (const [i, record] of unique.entries()) {
        const put = toPutVector(record as HotRecord, i, nonFilterable);
        if (!put.ok) return put;
        vectors.push(put.value);
      }
      return guarded(space, async () => {
        if (vectors.length === 0) return;
        await calls.ensureIndex(space);
        await calls.put(space, vectors);
      });
    },

    delete: (space, refs) =>
      guarded(space, () =>
        calls.deleteKeys(
          space,
          refs.map((r) => vectorKey(r.collectionId, r.id)),
        ),
      ),

    deleteWhere: (space, where) =>
      guarded(space, async () => {
        const start = collectionKeyPrefix(where.collectionId);
        const keys = await orAbsent(async () => {
          const out: string[] = [];
          for await (const page of calls.list(space, false)) {
            for (const v of page) if (v.key?.startsWith(start)) out.push(v.key);
          }
          return out;
        }, []);
        return calls.deleteKeys(space, keys);
      }),

    dropNamespace: (namespaceId) =>
      guarded(undefined, () => calls.dropIndexes(namespaceIndexPrefix(prefix, namespaceId))),

    search: async (space, query) => {
      const valid = checkSpace(space);
      if (!valid.ok) return valid;
      const checked = validateSearch(space, query);
      if (!checked.ok) return checked;
      const filter = serviceFilter(query, nonFilterable);
      if (!filter.ok) return filter;
      const service = filter.value;
      if (service === null) return ok([]);
      return guarded(space, async () => {
        const vector = Array.from(query.vector);
        const maxDistance =
          query.scoreThreshold === undefined
            ? Number.POSITIVE_INFINITY
            : distanceFor(space.metric, query.scoreThreshold);
        const raw = await orAbsent(
          () =>
            query.k <= maxTopK
              ? calls.query(space, vector, service, query.k)
              : fanOutQuery(
                  (f, topK) => calls.query(space, vector, f, topK),
                  service,
                  query.k,
                  maxTopK,
                  maxDistance,
                ),
          [],
        );
        return raw
          .map((r) => toHit(space.metric, r))
          .filter((h) => query.scoreThreshold === undefined || h.score >= query.scoreThreshold)
          .sort((a, b) => b.score - a.score)
          .slice(0, query.k);
      });
    },

    get: (space, refs) =>
      guarded(space, async () => {
        const keys = refs.map((r) => vectorKey(r.collectionId, r.id));
        const found = new Map<string, StoredVector>();
        const stored = await orAbsent(() => calls.get(space, [...new Set(keys)], true), []);
        for (const v of stored) {
          const { collectionId, id } = refOfKey(v.key ?? "");
          found.set(v.key ?? "", {
            id,
            collectionId,
            vector: Float32Array.from(v.data?.float32 ?? []),
            payload: payloadOf(v.metadata),
          });
        }
        return keys.flatMap((key) => {
          const hit = found.get(key);
          return hit ? [hit] : [];
        });
      }),

    count: (space, filter?: BoundFilterNode, collectionIds?: readonly string[]) =>
      guarded(space, () =>
        orAbsent(async () => {
          // No count API: list the index (with metadata only when something must be evaluated).
          const predicate = filter ? toPredicate(filter) : undefined;
          const collections = collectionIds ? new Set(collectionIds) : undefined;
          let n = 0;
          for await (const page of calls.list(space, predicate !== undefined)) {
            for (const v of page) {
              if (collections && !collections.has(refOfKey(v.key ?? "").collectionId)) continue;
              if (predicate && !predicate(payloadOf(v.metadata))) continue;
              n++;
            }
          }
          return n;
        }, 0),
      ),

    stats: (space) =>
      guarded(space, async (): Promise<WarmIndexStats> => {
        const spaces: WarmSpaceStats[] = [];
        for (const s of space ? [space] : await calls.spaces(`${prefix}-`)) {
          const n = await orAbsent(() => countOf(s), undefined);
          if (n !== undefined) spaces.push({ space: s, count: n, vectorBytes: n * s.dimensions * 4 });
        }
        return {
          spaces,
          vectors: spaces.reduce((a, s) => a + s.count, 0),
          vectorBytes: spaces.reduce((a, s) => a + s.vectorBytes, 0),
        };
      }),

    close: async () => {
      calls.close();
    },
  };
}

/** Cosine distance is 1 − similarity; euclidean distance d scores 1 / (1 + d) (see `exactScore`). */
function scoreOf(metric: Metric, distance: number): number {
  return metric === "cosine" ? 1 - distance : euclideanScore(distance);
}

function distanceFor(metric: Metric, score: number): number {
  return metric === "cosine" ? 1 - score : euclideanDistanceForScore(score);
}
