import { join } from "node:path";
import {
  openFsObjectStore,
  openTestS3ObjectStore,
  startTestS3Server,
  type TestS3Server,
} from "@strata/objectstore";
import { tempDir } from "@strata/testkit";
import { afterAll, beforeAll, expect, it } from "vitest";
import { coldDocument, runColdStoreContract } from "./coldstore.contract.js";
import { openObjectColdStore } from "./object-cold-store.js";
import { documentKey } from "./object-keys.js";

const base = await tempDir("strata-coldstore");
let s3: TestS3Server | undefined;
beforeAll(async () => {
  s3 = await startTestS3Server({ buckets: ["cold"] });
});
afterAll(async () => {
  await s3?.close();
  await base.remove();
});

const fsStore = (name: string) => openFsObjectStore({ root: join(base.path, name) });

// Pages of 50 so the scans cross several list pages.
runColdStoreContract("ObjectStore on fs", async (name) =>
  openObjectColdStore({ store: await fsStore(name), pageSize: 50 }),
);

runColdStoreContract("ObjectStore on S3 (s3rver)", async (name) => {
  if (!s3) throw new Error("s3rver not started");
  return openObjectColdStore({ store: openTestS3ObjectStore(s3, "cold", `${name}/`), pageSize: 50 });
});

it("a corrupt object is an error on get and on scan, never a document", async () => {
  const objects = await fsStore("corrupt");
  const cold = openObjectColdStore({ store: objects, prefix: "c" });
  const doc = coldDocument("ns_c", "col", "doc", 3);
  expect((await cold.put(doc)).ok).toBe(true);
  const key = documentKey("c", doc);
  const got = await objects.get(key);
  if (!got.ok) throw new Error("object not written");
  const chunks: Buffer[] = [];
  for await (const chunk of got.value.body) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  bytes[bytes.byteLength - 40] = (bytes[bytes.byteLength - 40] ?? 0) ^ 0xff;
  expect((await objects.put(key, bytes)).ok).toBe(true);

  const read = await cold.get(doc);
  expect(read.ok).toBe(false);
  if (!read.ok) {
    expect(read.error.kind).toBe("internal");
    expect(read.error.message).toContain("checksum mismatch");
  }
  const pages = [];
  for await (const page of cold.scan("ns_c")) pages.push(page);
  expect(pages.map((p) => p.ok)).toEqual([false]);
});
