import {
  CreateIndexCommand,
  DeleteIndexCommand,
  DeleteVectorsCommand,
  GetVectorsCommand,
  type GetVectorsCommandOutput,
  ListIndexesCommand,
  ListTagsForResourceCommand,
  ListVectorsCommand,
  PutVectorsCommand,
  QueryVectorsCommand,
  S3VectorsClient,
  type S3VectorsClientConfig,
} from "@aws-sdk/client-s3vectors";
import { chunksOf } from "@strata/batching";
import type { S3VectorsFilter } from "@strata/filter";
import type { DocRef } from "@strata/hotindex";
import { mapLimit } from "@strata/objectstore";
import type { WarmSpace } from "../port.js";
import { isConflict, isNotFound } from "./s3v-errors.js";
import { PAYLOAD_KEY, type PutVector } from "./s3v-metadata.js";
import { indexName, spaceFromTags, spaceTags } from "./s3v-naming.js";
import type { RawHit } from "./s3v-query.js";

/** AWS limits per call (userguide/s3-vectors-limitations). */
const PUT_BATCH = 500;
const DELETE_BATCH = 500;
const GET_BATCH = 100;
const LIST_PAGE = 1000;

export type FoundVector = NonNullable<GetVectorsCommandOutput["vectors"]>[number];

/**
 * The S3 Vectors requests the warm index makes, each split to the service's per-call limits and
 * run `concurrency` at a time. Knows nothing of Results or the WarmIndex contract: SDK errors
 * propagate to the adapter, which maps them.
 */
export class S3VectorsCalls {
  readonly #client: S3VectorsClient;
  readonly #bucket: string;
  readonly #prefix: string;
  readonly #concurrency: number;
  /** Index names created (or found) by this process: no CreateIndex round trip per write. */
  readonly #known = new Set<string>();

  constructor(config: S3VectorsClientConfig, bucket: string, prefix: string, concurrency: number) {
    this.#client = new S3VectorsClient(config);
    this.#bucket = bucket;
    this.#prefix = prefix;
    this.#concurrency = concurrency;
  }

  #target(space: WarmSpace) {
    return { vectorBucketName: this.#bucket, indexName: indexName(this.#prefix, space) };
  }

  async ensureIndex(space: WarmSpace): Promise<void> {
    const name = indexName(this.#prefix, space);
    if (this.#known.has(name)) return;
    try {
      await this.#client.send(
        new CreateIndexCommand({
          vectorBucketName: this.#bucket,
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
    this.#known.add(name);
  }

  async put(space: WarmSpace, vectors: readonly PutVector[]): Promise<void> {
    await mapLimit(chunksOf(vectors, PUT_BATCH), this.#concurrency, (batch) =>
      this.#client.send(new PutVectorsCommand({ ...this.#target(space), vectors: batch })),
    );
  }

  /** Every key of the index (with metadata when asked), page by page. */
  async *list(space: WarmSpace, withMetadata: boolean) {
    let nextToken: string | undefined;
    do {
      const page = await this.#client.send(
        new ListVectorsCommand({
          ...this.#target(space),
          maxResults: LIST_PAGE,
          returnMetadata: withMetadata,
          nextToken,
        }),
      );
      yield page.vectors ?? [];
      nextToken = page.nextToken;
    } while (nextToken);
  }

  /** The vectors stored under `keys` (absent keys are left out), with data and metadata if asked. */
  async get(space: WarmSpace, keys: readonly string[], withData: boolean): Promise<FoundVector[]> {
    const found = await mapLimit(chunksOf(keys, GET_BATCH), this.#concurrency, async (batch) => {
      const out = await this.#client.send(
        new GetVectorsCommand({
          ...this.#target(space),
          keys: batch,
          ...(withData ? { returnData: true, returnMetadata: true } : {}),
        }),
      );
      return out.vectors ?? [];
    });
    return found.flat();
  }

  /** Deletes those of `keys` that exist (none when the index was never written); how many. */
  async deleteKeys(space: WarmSpace, keys: readonly string[]): Promise<number> {
    const existing = await orAbsent(
      async () => (await this.get(space, [...new Set(keys)], false)).map((v) => v.key ?? ""),
      [],
    );
    await mapLimit(chunksOf(existing, DELETE_BATCH), this.#concurrency, (batch) =>
      this.#client.send(new DeleteVectorsCommand({ ...this.#target(space), keys: batch })),
    );
    return existing.length;
  }

  /** One query, every page of its answer. */
  async query(
    space: WarmSpace,
    vector: number[],
    filter: S3VectorsFilter | undefined,
    topK: number,
  ): Promise<RawHit[]> {
    const hits: RawHit[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.#client.send(
        new QueryVectorsCommand({
          ...this.#target(space),
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

  /** Deletes every index whose name starts with `start` (one namespace's spaces). */
  async dropIndexes(start: string): Promise<void> {
    for (const { name } of await this.#listIndexes(start)) {
      await orAbsent(
        () => this.#client.send(new DeleteIndexCommand({ vectorBucketName: this.#bucket, indexName: name })),
        undefined,
      );
      this.#known.delete(name);
    }
  }

  /** The spaces of every index whose name starts with `start`, read back from the index tags. */
  async spaces(start: string): Promise<WarmSpace[]> {
    const out: WarmSpace[] = [];
    for (const { arn } of await this.#listIndexes(start)) {
      const tags = await orAbsent(
        () => this.#client.send(new ListTagsForResourceCommand({ resourceArn: arn })),
        undefined,
      );
      const space = tags?.tags ? spaceFromTags(tags.tags) : undefined;
      if (space) out.push(space);
    }
    return out;
  }

  close(): void {
    this.#client.destroy();
  }

  async #listIndexes(start: string): Promise<{ name: string; arn: string }[]> {
    const out: { name: string; arn: string }[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.#client.send(
        new ListIndexesCommand({ vectorBucketName: this.#bucket, prefix: start, nextToken }),
      );
      for (const i of page.indexes ?? []) out.push({ name: i.indexName ?? "", arn: i.indexArn ?? "" });
      nextToken = page.nextToken;
    } while (nextToken);
    return out;
  }
}

/** Runs `work`, or returns `absent` when the space's index does not exist (never written). */
export async function orAbsent<T>(work: () => Promise<T>, absent: T): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (isNotFound(e)) return absent;
    throw e;
  }
}

/** The document a vector key names (the inverse of `vectorKey`). */
export function refOfKey(key: string): DocRef {
  const slash = key.indexOf("/");
  return {
    collectionId: decodeURIComponent(key.slice(0, slash)),
    id: decodeURIComponent(key.slice(slash + 1)),
  };
}
