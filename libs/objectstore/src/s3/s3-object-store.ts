import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { Readable } from "node:stream";
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { err, ok, type Result } from "@strata/errors";
import {
  assertKeyPrefix,
  assertListLimit,
  assertObjectKey,
  decodeListCursor,
  encodeListCursor,
  normalizePutOptions,
} from "../keys.js";
import type {
  ListOptions,
  ListPage,
  ObjectBody,
  ObjectInfo,
  ObjectStore,
  PutError,
  PutOptions,
} from "../port.js";
import { mapLimit } from "./map-limit.js";
import { isMissingKey, isPreconditionFailed } from "./s3-errors.js";
import { infoFromResponse, toS3Metadata } from "./s3-metadata.js";
import { type SpooledBody, spoolBody } from "./s3-spool.js";

export interface S3ObjectStoreOptions {
  readonly bucket: string;
  /** Key prefix inside the bucket for everything this store holds, e.g. `strata/` (ends in `/`). */
  readonly prefix?: string;
  readonly region: string;
  readonly endpoint?: string;
  /** Needed by most S3-compatible servers (MinIO, s3rver). */
  readonly forcePathStyle?: boolean;
  readonly credentials?: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
  };
  /** Where stream bodies past `memorySpoolBytes` are spooled before upload; default the OS temp dir. */
  readonly spoolDir?: string;
  /** Default 8 MiB. */
  readonly memorySpoolBytes?: number;
}

/** One PutObject takes at most 5 GiB; larger objects would need multipart, which we do not do. */
export const MAX_S3_OBJECT_BYTES = 5 * 1024 ** 3;
const DELETE_BATCH = 1000;
const HEAD_CONCURRENCY = 8;
const COPY_ATTEMPTS = 3;

export function openS3ObjectStore(options: S3ObjectStoreOptions): ObjectStore {
  const storePrefix = options.prefix ?? "";
  if (storePrefix !== "") assertKeyPrefix(storePrefix, { allowEmpty: false });
  if (storePrefix !== "" && !storePrefix.endsWith("/")) throw new Error("S3 store prefix must end with '/'");
  const { bucket } = options;
  const client = new S3Client({
    region: options.region,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.forcePathStyle === undefined ? {} : { forcePathStyle: options.forcePathStyle }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
  });
  const spool = {
    dir: options.spoolDir ?? tmpdir(),
    memoryBytes: options.memorySpoolBytes ?? 8 * 1024 * 1024,
  };
  const full = (key: string): string => `${storePrefix}${key}`;
  const strip = (s3Key: string): string => s3Key.slice(storePrefix.length);

  const headRaw = async (
    key: string,
  ): Promise<{ info: ObjectInfo; etag: string | undefined } | undefined> => {
    try {
      const out = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: full(key) }));
      return { info: infoFromResponse(key, out), etag: out.ETag };
    } catch (error: unknown) {
      if (isMissingKey(error)) return undefined;
      throw error;
    }
  };

  return {
    async put(
      key: string,
      body: Readable | Uint8Array,
      putOptions?: PutOptions,
    ): Promise<Result<ObjectInfo, PutError>> {
      const opts = normalizePutOptions(key, putOptions);
      const maxBytes = Math.min(opts.maxBytes, MAX_S3_OBJECT_BYTES);
      let spooled: SpooledBody;
      if (body instanceof Uint8Array) {
        if (body.byteLength > maxBytes) return err("too_large");
        const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
        const sha256 = createHash("sha256").update(bytes).digest("hex");
        spooled = { size: bytes.byteLength, sha256, content: () => bytes, dispose: async () => {} };
      } else {
        const result = await spoolBody(body, { ...spool, maxBytes });
        if (!result.ok) return result;
        spooled = result.value;
      }
      try {
        if (opts.expectedSha256 !== undefined && opts.expectedSha256 !== spooled.sha256) {
          return err("checksum_mismatch");
        }
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: full(key),
            Body: spooled.content(),
            ContentLength: spooled.size,
            ContentType: opts.contentType,
            Metadata: toS3Metadata(opts.metadata, spooled.sha256),
            // S3 verifies the body against it, so a corrupted upload is refused, not stored.
            ChecksumSHA256: Buffer.from(spooled.sha256, "hex").toString("base64"),
          }),
        );
        const { size, sha256 } = spooled;
        // PutObject does not return the time; S3's own timestamp is what head/list report later.
        return ok({
          key,
          size,
          sha256,
          contentType: opts.contentType,
          metadata: opts.metadata,
          lastModified: new Date(),
        });
      } finally {
        await spooled.dispose();
      }
    },

    async get(key: string): Promise<Result<ObjectBody, "not_found">> {
      assertObjectKey(key);
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: full(key) }));
        if (!(out.Body instanceof Readable))
          throw new Error("S3 GetObject returned a body that is not a Node stream");
        return ok({ info: infoFromResponse(key, out), body: out.Body });
      } catch (error: unknown) {
        if (isMissingKey(error)) return err("not_found");
        throw error;
      }
    },

    async head(key: string): Promise<ObjectInfo | undefined> {
      assertObjectKey(key);
      return (await headRaw(key))?.info;
    },

    async list(prefix: string, listOptions: ListOptions): Promise<ListPage> {
      assertKeyPrefix(prefix, { allowEmpty: true });
      assertListLimit(listOptions.limit);
      const after = decodeListCursor(listOptions.cursor);
      // StartAfter (not the server's continuation token) so a cursor is just the last key: it means
      // the same thing for every adapter and survives restarts and token expiry.
      const out = await client.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: full(prefix),
          MaxKeys: listOptions.limit,
          ...(after === "" ? {} : { StartAfter: full(after) }),
        }),
      );
      const keys = (out.Contents ?? []).flatMap((entry) =>
        entry.Key === undefined ? [] : [strip(entry.Key)],
      );
      // Listings carry neither metadata nor our SHA-256, so each item costs a HEAD.
      const infos = await mapLimit(keys, HEAD_CONCURRENCY, async (key) => (await headRaw(key))?.info);
      const items = infos.filter((info): info is ObjectInfo => info !== undefined);
      const last = keys.at(-1);
      return {
        items,
        nextCursor: out.IsTruncated === true && last !== undefined ? encodeListCursor(last) : null,
      };
    },

    async copy(fromKey: string, toKey: string): Promise<Result<ObjectInfo, "not_found">> {
      assertObjectKey(fromKey);
      assertObjectKey(toKey);
      for (let attempt = 1; ; attempt += 1) {
        const source = await headRaw(fromKey);
        if (source === undefined) return err("not_found");
        if (fromKey === toKey) return ok(source.info);
        try {
          const out = await client.send(
            new CopyObjectCommand({
              Bucket: bucket,
              Key: full(toKey),
              // Keys are restricted to characters that need no URL encoding.
              CopySource: `${bucket}/${full(fromKey)}`,
              MetadataDirective: "COPY",
              // The info we return must describe the version copied, not one written since.
              ...(source.etag === undefined ? {} : { CopySourceIfMatch: source.etag }),
            }),
          );
          const lastModified = out.CopyObjectResult?.LastModified ?? new Date();
          return ok({ ...source.info, key: toKey, lastModified });
        } catch (error: unknown) {
          if (isMissingKey(error)) return err("not_found");
          if (!isPreconditionFailed(error) || attempt >= COPY_ATTEMPTS) throw error;
        }
      }
    },

    async delete(key: string): Promise<boolean> {
      assertObjectKey(key);
      // S3 deletes say nothing about existence; the HEAD answers "did it exist just before".
      if ((await headRaw(key)) === undefined) return false;
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: full(key) }));
      return true;
    },

    async deletePrefix(prefix: string): Promise<number> {
      assertKeyPrefix(prefix, { allowEmpty: false });
      let count = 0;
      let startAfter: string | undefined;
      for (;;) {
        const out = await client.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: full(prefix),
            MaxKeys: DELETE_BATCH,
            ...(startAfter === undefined ? {} : { StartAfter: startAfter }),
          }),
        );
        const keys = (out.Contents ?? []).flatMap((entry) => (entry.Key === undefined ? [] : [entry.Key]));
        if (keys.length > 0) {
          const deleted = await client.send(
            new DeleteObjectsCommand({
              Bucket: bucket,
              Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true },
            }),
          );
          const failures = deleted.Errors ?? [];
          if (failures.length > 0) {
            const first = failures[0];
            throw new Error(
              `S3 DeleteObjects failed for ${failures.length} keys (${first?.Code}: ${first?.Message})`,
            );
          }
          count += keys.length;
          startAfter = keys.at(-1);
        }
        if (out.IsTruncated !== true || keys.length === 0) return count;
      }
    },

    async ping(): Promise<boolean> {
      try {
        await client.send(new HeadBucketCommand({ Bucket: bucket }));
        return true;
      } catch {
        return false;
      }
    },

    async close(): Promise<void> {
      client.destroy();
    },
  };
}
