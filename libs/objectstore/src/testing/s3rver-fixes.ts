import { AsyncLocalStorage } from "node:async_hooks";
import type S3rver from "s3rver";

/**
 * s3rver departs from S3 in ways that our contract (rightly) checks, so the test server patches
 * it to behave as S3 documents. These fix the test double only; the S3 adapter has no
 * s3rver-specific code.
 * - ListObjectsV2 must return keys in UTF-8 byte order; s3rver returns its directory-walk order
 *   (`a/…` before `a-b`), which also breaks StartAfter paging. Listing is re-sorted here.
 * - A truncated listing makes s3rver encrypt a continuation token with DES, which OpenSSL 3 no
 *   longer offers, so every truncated page is a 500. The store reports "not truncated" to the
 *   controller and a middleware sets IsTruncated afterwards (no token: our adapter pages with
 *   StartAfter).
 * - A PUT must be atomic; s3rver writes body and metadata as separate files in place, so two
 *   PUTs to one key can mix. Writes to one key are serialized here.
 * - DeleteObjects deletes keys in parallel and each delete prunes empty directories, racing the
 *   others into ENOENT → 500. Deletes are serialized and an already-pruned directory is no error.
 */
export function applyS3rverFixes(server: S3rver): void {
  fixListing(server);
  serializeWrites(server.store);
}

function fixListing(server: S3rver): void {
  const { store } = server;
  const truncation = new AsyncLocalStorage<{ truncated: boolean }>();
  const list = store.listObjects.bind(store);
  store.listObjects = async (bucket, options) => {
    if (options.delimiter) return list(bucket, options);
    const everything = await list(bucket, {
      prefix: options.prefix ?? "",
      startAfter: "",
      maxKeys: Infinity,
    });
    const startAfter = options.startAfter ?? "";
    const sorted = everything.objects
      .filter((object) => object.key > startAfter)
      .sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
    const maxKeys = options.maxKeys ?? 1000;
    const state = truncation.getStore();
    if (state !== undefined) state.truncated = sorted.length > maxKeys;
    return { objects: sorted.slice(0, maxKeys), commonPrefixes: [], isTruncated: false };
  };
  // Runs inside the XML encoder and around the router, so it can amend the response object.
  const markTruncated: S3rver.Middleware = async (ctx, next) => {
    const state = { truncated: false };
    await truncation.run(state, next);
    const result = (ctx.body as { ListBucketResult?: { IsTruncated?: boolean } } | undefined)
      ?.ListBucketResult;
    if (state.truncated && result !== undefined) result.IsTruncated = true;
  };
  server.middleware.splice(server.middleware.length - 1, 0, markTruncated);
}

function serializeWrites(store: S3rver.Store): void {
  const locks = new Map<string, Promise<unknown>>();
  const serialized = <T>(lockKey: string, work: () => Promise<T>): Promise<T> => {
    const next = (locks.get(lockKey) ?? Promise.resolve()).then(work, work);
    const tail = next.catch(() => undefined);
    locks.set(lockKey, tail);
    void tail.then(() => {
      if (locks.get(lockKey) === tail) locks.delete(lockKey);
    });
    return next;
  };
  const put = store.putObject.bind(store);
  store.putObject = (object) => serialized(`${object.bucket}/${object.key}`, () => put(object));
  const copy = store.copyObject.bind(store);
  store.copyObject = (srcBucket, srcKey, destBucket, destKey, replace) =>
    serialized(`${destBucket}/${destKey}`, () => copy(srcBucket, srcKey, destBucket, destKey, replace));
  const remove = store.deleteObject.bind(store);
  store.deleteObject = (bucket, key) =>
    serialized("delete", async () => {
      try {
        await remove(bucket, key);
      } catch (error: unknown) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
    });
}
