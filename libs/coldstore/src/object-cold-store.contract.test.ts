import { join } from "node:path";
import {
  openFsObjectStore,
  openTestS3ObjectStore,
  startTestS3Server,
  type TestS3Server,
} from "@strata/objectstore";
import { tempDir } from "@strata/testkit";
import { afterAll, beforeAll, expect, it } from "vitest";
import { encodeColdDocument } from "./cold-format.js";
import { coldDocument, runColdStoreContract } from "./coldstore.contract.js";
import { openObjectColdStore } from "./object-cold-store.js";
import { documentKey } from "./object-keys.js";
import type { ColdDocument } from "./port.js";

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
  const listed = await objects.list("c/", { limit: 10 });
  const key = listed.items.map((i) => i.key).find((k) => k.endsWith(".pack"));
  if (key === undefined) throw new Error("no pack written");
  const got = await objects.get(key);
  if (!got.ok) throw new Error("object not written");
  const chunks: Buffer[] = [];
  for await (const chunk of got.value.body) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  bytes[bytes.byteLength - 40] = (bytes[bytes.byteLength - 40] ?? 0) ^ 0xff;
  expect((await objects.put(key, bytes)).ok).toBe(true);

  // A fresh store reads the pack again (no cached index of the old one).
  const read = await openObjectColdStore({ store: objects, prefix: "c" }).get(doc);
  expect(read.ok).toBe(false);
  if (!read.ok) {
    expect(read.error.kind).toBe("internal");
    expect(read.error.message).toContain("checksum mismatch");
  }
  const pages = [];
  for await (const page of cold.scan("ns_c")) pages.push(page);
  expect(pages.map((p) => p.ok)).toEqual([false]);
});

it("reads version-1 objects beside packs; a pack written later supersedes and removes them", async () => {
  const objects = await fsStore("v1");
  const old = coldDocument("ns_v", "col", "old", 5);
  const other = coldDocument("ns_v", "col", "other", 6);
  for (const d of [old, other])
    expect((await objects.put(documentKey("c", d), encodeColdDocument(d))).ok).toBe(true);
  const cold = openObjectColdStore({ store: objects, prefix: "c" });
  expect(await cold.get(old)).toEqual({ ok: true, value: old });
  const packed = coldDocument("ns_v", "col", "packed", 7);
  expect((await cold.putMany([packed])).ok).toBe(true);
  const all: string[] = [];
  for await (const page of cold.scan("ns_v", "col"))
    if (page.ok) all.push(...page.value.map((d) => d.documentId));
  expect(all.sort()).toEqual(["old", "other", "packed"]);

  const newer = coldDocument("ns_v", "col", "old", 8);
  expect((await cold.putMany([newer])).ok).toBe(true);
  expect(await objects.head(documentKey("c", old))).toBeUndefined();
  expect(await openObjectColdStore({ store: objects, prefix: "c" }).get(old)).toEqual({
    ok: true,
    value: newer,
  });
  expect(await cold.delete([other, packed])).toEqual({ ok: true, value: 2 });
  expect(await objects.head(documentKey("c", other))).toBeUndefined();
  expect(await cold.getMany([old, other, packed])).toEqual({ ok: true, value: [newer] });
});

it("a delete rewrites a pack without the documents; an emptied pack object is gone", async () => {
  const objects = await fsStore("rewrite");
  const cold = openObjectColdStore({ store: objects, prefix: "c" });
  const docs = ["a", "b", "c"].map((id, i) => coldDocument("ns_r", "col", id, i));
  expect((await cold.putMany(docs)).ok).toBe(true);
  expect(await cold.delete([docs[0] as ColdDocument])).toEqual({ ok: true, value: 1 });
  const packs = async () =>
    (await objects.list("c/", { limit: 10 })).items.filter((i) => i.key.endsWith(".pack"));
  expect((await packs()).length).toBe(1);
  const reopened = openObjectColdStore({ store: objects, prefix: "c" });
  expect(await reopened.getMany(docs)).toEqual({ ok: true, value: [docs[1], docs[2]] });
  expect(await reopened.delete(docs)).toEqual({ ok: true, value: 2 });
  expect(await packs()).toEqual([]);
});
