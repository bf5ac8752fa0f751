import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ObjectStore } from "../port.js";
import { openS3ObjectStore } from "../s3/s3-object-store.js";
import { applyS3rverFixes } from "./s3rver-fixes.js";

export interface TestS3Server {
  /** `http://127.0.0.1:<port>`; use with `forcePathStyle: true` and `TEST_S3_CREDENTIALS`. */
  readonly endpoint: string;
  close(): Promise<void>;
}

/** s3rver does not verify signatures, so any fixed pair works. */
export const TEST_S3_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;
export const TEST_S3_REGION = "us-east-1";

/**
 * Starts s3rver (a real S3-protocol server, devDependency of this package) on a random loopback
 * port with its own temp directory and the given buckets, for tests of S3-backed code; patched
 * where it departs from S3 (see s3rver-fixes.ts). Loaded lazily so production code that imports
 * this package never loads s3rver.
 */
export async function startTestS3Server(options: {
  readonly buckets: readonly string[];
}): Promise<TestS3Server> {
  const { default: S3rver } = await import("s3rver");
  const directory = await mkdtemp(join(tmpdir(), "strata-s3rver-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    directory,
    silent: true,
    configureBuckets: options.buckets.map((name) => ({ name })),
  });
  applyS3rverFixes(server);
  const address = await server.run();
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** An S3 ObjectStore on the test server's bucket, under its own key prefix (tests of S3-backed code). */
export function openTestS3ObjectStore(server: TestS3Server, bucket: string, prefix: string): ObjectStore {
  return openS3ObjectStore({
    bucket,
    prefix,
    region: TEST_S3_REGION,
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: TEST_S3_CREDENTIALS,
  });
}
