import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bytesOf, chunkedStream } from "../contract/harness.js";
import {
  startTestS3Server,
  TEST_S3_CREDENTIALS,
  TEST_S3_REGION,
  type TestS3Server,
} from "../testing/s3-test-server.js";
import type { S3ObjectStoreOptions } from "./s3-object-store.js";
import { openS3ObjectStore } from "./s3-object-store.js";

let server: TestS3Server | undefined;
const spoolDir = mkdtempSync(join(tmpdir(), "strata-s3-spool-"));
beforeAll(async () => {
  server = await startTestS3Server({ buckets: ["unit"] });
});
afterAll(async () => {
  await server?.close();
  rmSync(spoolDir, { recursive: true, force: true });
});

const open = (overrides: Partial<S3ObjectStoreOptions> = {}) => {
  if (server === undefined) throw new Error("s3rver not started");
  return openS3ObjectStore({
    bucket: "unit",
    region: TEST_S3_REGION,
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: TEST_S3_CREDENTIALS,
    ...overrides,
  });
};

describe("S3 ObjectStore", () => {
  it("keeps stores with different prefixes apart in one bucket", async () => {
    const a = open({ prefix: "iso-a/" });
    const b = open({ prefix: "iso-b/" });
    const root = open();
    await a.put("ns_1/x", bytesOf("from a"));
    await b.put("ns_1/x", bytesOf("from b"));
    expect((await a.list("", { limit: 10 })).items.map((item) => item.key)).toEqual(["ns_1/x"]);
    expect((await root.list("iso-", { limit: 10 })).items.map((item) => item.key)).toEqual([
      "iso-a/ns_1/x",
      "iso-b/ns_1/x",
    ]);
    expect(await a.deletePrefix("ns_1/")).toBe(1);
    expect((await b.head("ns_1/x"))?.size).toBe(6);
    await Promise.all([a.close(), b.close(), root.close()]);
  });

  it("removes its spool files whether a put succeeds or fails", async () => {
    const store = open({ spoolDir, memorySpoolBytes: 64 * 1024 });
    const body = randomBytes(1024 * 1024);
    expect((await store.put("spool/ok", chunkedStream(body))).ok).toBe(true);
    expect(await store.put("spool/big", chunkedStream(body), { maxBytes: 512 * 1024 })).toEqual({
      ok: false,
      error: "too_large",
    });
    const mismatch = await store.put("spool/bad", chunkedStream(body), { expectedSha256: "0".repeat(64) });
    expect(mismatch).toEqual({ ok: false, error: "checksum_mismatch" });
    expect(readdirSync(spoolDir)).toEqual([]);
    await store.close();
  });

  it("treats a missing bucket as a failure, not as a missing object", async () => {
    const store = open({ bucket: "no-such-bucket" });
    expect(await store.ping()).toBe(false);
    await expect(store.get("k")).rejects.toThrow();
    await expect(store.put("k", bytesOf("x"))).rejects.toThrow();
    await store.close();
  });

  it("refuses a store prefix that is not a directory-like key prefix", () => {
    expect(() => open({ prefix: "no-slash" })).toThrow(/must end with/);
    expect(() => open({ prefix: "../" })).toThrow(/Invalid object key prefix/);
  });
});
