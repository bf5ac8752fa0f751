import {
  CreateIndexCommand,
  DeleteIndexCommand,
  DeleteVectorsCommand,
  GetVectorsCommand,
  ListIndexesCommand,
  ListTagsForResourceCommand,
  ListVectorsCommand,
  PutVectorsCommand,
  QueryVectorsCommand,
  S3VectorsClient,
  type S3VectorsClientConfig,
} from "@aws-sdk/client-s3vectors";
import type { AppError, Result } from "@strata/errors";
import { err, ok, validationFailed } from "@strata/errors";
import type { BoundFilterNode, S3VectorsFilter } from "@strata/filter";
import { filterFields, isMatchNothing, simplify, toPredicate, toS3VectorsFilter } from "@strata/filter";
import type { DocRef, Hit, HotRecord, HotSearch, Metric, StoredVector } from "@strata/hotindex";
import {
  euclideanDistanceForScore,
  euclideanScore,
  validateRecords,
  validateSearch,
  validateSpace,
} from "@strata/hotindex";
import { mapLimit } from "@strata/objectstore";
import type { WarmIndex, WarmIndexStats, WarmSpace, WarmSpaceStats } from "../port.js";
import { isConflict, isNotFound, s3VectorsError } from "./s3v-errors.js";
import {
  COLLECTION_KEY,
  FIELD_PREFIX,
  PAYLOAD_KEY,
  type PutVector,
  payloadOf,
  toPutVector,
} from "./s3v-metadata.js";
import {
  checkIndexPrefix,
  collectionKeyPrefix,
  indexName,
  namespaceIndexPrefix,
  spaceFromTags,
  spaceTags,
  vectorKey,
} from "./s3v-naming.js";
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

/** AWS limits per call (userguide/s3-vectors-limitations). */
const PUT_BATCH = 500;
const DELETE_BATCH = 500;
const GET_BATCH = 100;
const LIST_PAGE = 1000;

/**
 * The warm tier on Amazon S3 Vectors (ADR 0006, 0022): one vector index per space in the deployment's
 * vector bucket; filters translated by `toS3VectorsFilter`; scores from the returned distances, the
 * same values as `exactScore` (cosine 1 − d, euclidean 1 / (1 + d)). Cosine and euclidean only.
 */
export function openS3VectorsWarmIndex(options: S3VectorsWarmIndexOptions): WarmIndex {
  const prefix = options.indexPrefix ?? "strata";
  checkIndexPrefix(prefix);
  const client = new S3VectorsClient(options.client);
  const bucket = options.vectorBucketName;
  const maxTopK = options.maxTopK ?? 100;
  const nonFilterable = options.nonFilterableFields ?? [];
  const concurrency = options.concurrency ?? 4;
  const known = new Set<string>();
  const target = (space: WarmSpace) => ({ vectorBucketName: bucket, indexName: indexName(prefix, space) });

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

  /** Runs `work`, or returns `absent` when the space's index does not exist (never written). */
  async function orAbsent<T>(work: () => Promise<T>, absent: T): Promise<T> {
    try {
      return await work();
    } catch (e) {
      if (isNotFound(e)) return absent;
      throw e;
    }
  }

  async function ensureIndex(space: WarmSpace): Promise<void> {
    const name = indexName(prefix, space);
    if (known.has(name)) return;
    try {
      await client.send(
        new CreateIndexCommand({
          vectorBucketName: bucket,
          indexName: name,
          dataType: "float32",
          dimension: space.dimensions,
          distanceMetric: space.metric === "cosine" ? "cosine" : "euclidean",
          metadataConfiguration: { nonFilterableMetadataKeys: [PAYLOAD_KEY] },
          tags: spaceTags(space),
        }),
      );
    } catch (e) {
      if (!isConflict(e)) throw e;
    }
    known.add(name);
  }

  /** Every key of the index (with metadata when asked), page by page. */
  async function* listVectors(space: WarmSpace, withMetadata: boolean) {
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new ListVectorsCommand({
          ...target(space),
          maxResults: LIST_PAGE,
          returnMetadata: withMetadata,
          nextToken,
        }),
      );
      yield page.vectors ?? [];
      nextToken = page.nextToken;
    } while (nextToken);
  }

  async function existingKeys(space: WarmSpace, keys: readonly string[]): Promise<string[]> {
    const batches = chunk(keys, GET_BATCH);
    const found = await mapLimit(batches, concurrency, async (batch) => {
      const out = await client.send(new GetVectorsCommand({ ...target(space), keys: batch }));
      return (out.vectors ?? []).map((v) => v.key ?? "");
    });
    return found.flat();
  }

  async function deleteKeys(space: WarmSpace, keys: readonly string[]): Promise<number> {
    const existing = await orAbsent(() => existingKeys(space, [...new Set(keys)]), []);
    await mapLimit(chunk(existing, DELETE_BATCH), concurrency, (batch) =>
      client.send(new DeleteVectorsCommand({ ...target(space), keys: batch })),
    );
    return existing.length;
  }

  /** The service filter for a query: the caller's filter, the collection restriction, or refusal. */
  function serviceFilter(
    query: Pick<HotSearch, "filter" | "collectionIds">,
  ): Result<S3VectorsFilter | undefined | null, AppError> {
    const parts: S3VectorsFilter[] = [];
    if (query.filter) {
      const simple = simplify(query.filter);
      if (isMatchNothing(simple)) return ok(null);
      const hidden = filterFields(simple).find((f) =>
        nonFilterable.some((n) => f === n || f.startsWith(`${n}.`)),
      );
      if (hidden !== undefined) {
        const message = `Field ${hidden} is stored non-filterable in the warm tier`;
        return err(validationFailed([{ location: hidden, message, type: "unsupported_filter" }], message));
      }
      const translated = toS3VectorsFilter(simple, { fieldPrefix: FIELD_PREFIX });
      if (!translated.ok) return translated;
      if (translated.value) parts.push(translated.value);
    }
    if (query.collectionIds) {
      if (query.collectionIds.length === 0) return ok(null);
      parts.push({ [COLLECTION_KEY]: { $in: [...query.collectionIds] } });
    }
    return ok(parts.length === 0 ? undefined : parts.length === 1 ? parts[0] : { $and: parts });
  }

  async function queryPages(
    space: WarmSpace,
    vector: number[],
    filter: S3VectorsFilter | undefined,
    topK: number,
  ): Promise<RawHit[]> {
    const hits: RawHit[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new QueryVectorsCommand({
          ...target(space),
          topK,
          queryVector: { float32: vector },
          ...(filter ? { filter } : {}),
          returnDistance: true,
          returnMetadata: true,
          nextToken,
        }),
      );
      for (const v of page.vectors ?? [])
        hits.push({ key: v.key ?? "", distance: v.distance ?? 0, metadata: v.metadata });
      nextToken = page.nextToken;
    } while (nextToken);
    return hits;
  }

  function toHit(metric: Metric, raw: RawHit): Hit {
    const { collectionId, id } = refOfKey(raw.key);
    return { id, collectionId, score: scoreOf(metric, raw.distance), payload: payloadOf(raw.metadata) };
  }

  function supportsMetric(metric: Metric): boolean {
    return metric === "cosine" || metric === "euclidean";
  }

  return {
    supportsMetric,

    ensureSpace: (space) => guarded(space, () => ensureIndex(space)),

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
        await ensureIndex(space);
        await mapLimit(chunk(vectors, PUT_BATCH), concurrency, (batch) =>
          client.send(new PutVectorsCommand({ ...target(space), vectors: batch })),
        );
      });
    },

    delete: (space, refs) =>
      guarded(space, () =>
        deleteKeys(
          space,
          refs.map((r) => vectorKey(r.collectionId, r.id)),
        ),
      ),

    deleteWhere: (space, where) =>
      guarded(space, async () => {
        const start = collectionKeyPrefix(where.collectionId);
        const keys = await orAbsent(async () => {
          const out: string[] = [];
          for await (const page of listVectors(space, false)) {
            for (const v of page) if (v.key?.startsWith(start)) out.push(v.key);
          }
          return out;
        }, []);
        return deleteKeys(space, keys);
      }),

    dropNamespace: (namespaceId) =>
      guarded(undefined, async () => {
        const start = namespaceIndexPrefix(prefix, namespaceId);
        for (const name of await listIndexNames(start)) {
          await orAbsent(
            () => client.send(new DeleteIndexCommand({ vectorBucketName: bucket, indexName: name })),
            undefined,
          );
          known.delete(name);
        }
      }),

    search: async (space, query) => {
      const valid = checkSpace(space);
      if (!valid.ok) return valid;
      const checked = validateSearch(space, query);
      if (!checked.ok) return checked;
      const filter = serviceFilter(query);
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
              ? queryPages(space, vector, service, query.k)
              : fanOutQuery(
                  (f, topK) => queryPages(space, vector, f, topK),
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
        await orAbsent(async () => {
          await mapLimit(chunk([...new Set(keys)], GET_BATCH), concurrency, async (batch) => {
            const out = await client.send(
              new GetVectorsCommand({
                ...target(space),
                keys: batch,
                returnData: true,
                returnMetadata: true,
              }),
            );
            for (const v of out.vectors ?? []) {
              const { collectionId, id } = refOfKey(v.key ?? "");
              found.set(v.key ?? "", {
                id,
                collectionId,
                vector: Float32Array.from(v.data?.float32 ?? []),
                payload: payloadOf(v.metadata),
              });
            }
          });
        }, undefined);
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
          for await (const page of listVectors(space, predicate !== undefined)) {
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
        const countOf = async (s: WarmSpace) => {
          let n = 0;
          for await (const page of listVectors(s, false)) n += page.length;
          return n;
        };
        if (space) {
          const n = await orAbsent(() => countOf(space), undefined);
          if (n !== undefined) spaces.push({ space, count: n, vectorBytes: n * space.dimensions * 4 });
        } else {
          for (const { arn } of await listIndexes(`${prefix}-`)) {
            const tags = await orAbsent(
              () => client.send(new ListTagsForResourceCommand({ resourceArn: arn })),
              undefined,
            );
            const s = tags?.tags ? spaceFromTags(tags.tags) : undefined;
            const n = s ? await orAbsent(() => countOf(s), undefined) : undefined;
            if (s && n !== undefined) spaces.push({ space: s, count: n, vectorBytes: n * s.dimensions * 4 });
          }
        }
        return {
          spaces,
          vectors: spaces.reduce((a, s) => a + s.count, 0),
          vectorBytes: spaces.reduce((a, s) => a + s.vectorBytes, 0),
        };
      }),

    close: async () => {
      client.destroy();
    },
  };

  async function listIndexes(start: string): Promise<{ name: string; arn: string }[]> {
    const out: { name: string; arn: string }[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new ListIndexesCommand({ vectorBucketName: bucket, prefix: start, nextToken }),
      );
      for (const i of page.indexes ?? []) out.push({ name: i.indexName ?? "", arn: i.indexArn ?? "" });
      nextToken = page.nextToken;
    } while (nextToken);
    return out;
  }

  async function listIndexNames(start: string): Promise<string[]> {
    return (await listIndexes(start)).map((i) => i.name);
  }
}

/** Cosine distance is 1 − similarity; euclidean distance d scores 1 / (1 + d) (see `exactScore`). */
function scoreOf(metric: Metric, distance: number): number {
  return metric === "cosine" ? 1 - distance : euclideanScore(distance);
}

function distanceFor(metric: Metric, score: number): number {
  return metric === "cosine" ? 1 - score : euclideanDistanceForScore(score);
}

function refOfKey(key: string): DocRef {
  const slash = key.indexOf("/");
  return {
    collectionId: decodeURIComponent(key.slice(0, slash)),
    id: decodeURIComponent(key.slice(slash + 1)),
  };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
