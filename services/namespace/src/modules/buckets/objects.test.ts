import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { issuesOf, kindOf } from "../../shared/data-test-support.js";
import { callerOf } from "../../shared/test-support.js";
import { type BucketTestData, bucketTestData, chunked, readAll } from "./bucket-test-support.js";
import { createBucket } from "./create-bucket.js";
import { deleteBucket } from "./delete-bucket.js";
import { deleteObject } from "./delete-object.js";
import { type PutObjectInput, putObject } from "./put-object.js";
import { getObject, headObject, listObjects } from "./read-objects.js";

const MAX = 1024 * 1024;
let t: BucketTestData;
let bucketId: string;
const admin = () => callerOf(t.organizationId);
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

function put(
  key: string,
  body: Uint8Array | Readable,
  extra: Partial<PutObjectInput> = {},
  bucket = bucketId,
) {
  return putObject(t.ports, admin(), t.namespaceId, bucket, {
    key,
    contentType: "application/pdf",
    expectedSha256: undefined,
    body: body instanceof Uint8Array ? chunked(body) : body,
    ...extra,
  });
}

const keysOf = async (prefix = "", limit = 100, cursor?: string) => {
  const page = await listObjects(t.ports, admin(), t.namespaceId, bucketId, { prefix, limit, cursor });
  if (!page.ok) throw new Error(page.error.message);
  return { keys: page.value.objects.map((o) => o.key), next: page.value.nextCursor };
};

beforeEach(async () => {
  t = await bucketTestData(MAX);
  const created = await createBucket(t.ports, admin(), t.namespaceId, {
    bucketName: "media",
    description: "",
  });
  if (!created.ok) throw new Error(created.error.message);
  bucketId = created.value.id;
});
afterEach(async () => {
  await t.close();
});

describe("objects", () => {
  it("stores a streamed object and gives back the same bytes, size, type and SHA-256", async () => {
    const bytes = randomBytes(MAX - 7);
    const stored = await put("docs/report.pdf", bytes, { expectedSha256: sha256(bytes).toUpperCase() });
    if (!stored.ok) throw new Error(stored.error.message);
    expect(stored.value).toMatchObject({
      key: "docs/report.pdf",
      size: bytes.byteLength,
      sha256: sha256(bytes),
    });
    expect(stored.value.etag).toBe(sha256(bytes));
    const head = await headObject(t.ports, admin(), t.namespaceId, "media", "docs/report.pdf");
    expect(head.ok ? head.value.content_type : undefined).toBe("application/pdf");
    const got = await getObject(t.ports, admin(), t.namespaceId, bucketId, "docs/report.pdf");
    if (!got.ok) throw new Error(got.error.message);
    expect((await readAll(got.value.body)).equals(bytes)).toBe(true);
  });

  it("replaces an object with the same key and keeps only the new bytes", async () => {
    expect((await put("a", Buffer.from("one"))).ok).toBe(true);
    expect((await put("a", Buffer.from("two"), { contentType: "" })).ok).toBe(true);
    const got = await getObject(t.ports, admin(), t.namespaceId, bucketId, "a");
    if (!got.ok) throw new Error(got.error.message);
    expect((await readAll(got.value.body)).toString()).toBe("two");
    expect(got.value.object.content_type).toBe("application/octet-stream");
    expect(await t.storedFiles()).toHaveLength(1);
  });

  it("refuses a body past the limit while it streams, keeping nothing", async () => {
    let produced = 0;
    const endless = Readable.from(
      (function* () {
        for (;;) {
          produced += 64 * 1024;
          yield Buffer.alloc(64 * 1024);
        }
      })(),
    );
    const refused = await put("big", endless);
    expect(kindOf(refused)).toBe("payload_too_large");
    expect(produced).toBeLessThan(MAX + 256 * 1024);
    expect(kindOf(await headObject(t.ports, admin(), t.namespaceId, bucketId, "big"))).toBe("not_found");
    expect(await t.storedFiles()).toEqual([]);
  });

  it("refuses a body whose SHA-256 differs from the one sent, keeping nothing (nor the old object)", async () => {
    expect((await put("k", Buffer.from("old"))).ok).toBe(true);
    const wrong = await put("k", Buffer.from("new"), { expectedSha256: sha256(Buffer.from("other")) });
    expect(kindOf(wrong)).toBe("bad_request");
    const got = await getObject(t.ports, admin(), t.namespaceId, bucketId, "k");
    expect(got.ok ? (await readAll(got.value.body)).toString() : undefined).toBe("old");
    expect(await t.storedFiles()).toHaveLength(1);
    expect(issuesOf(await put("k", Buffer.from("x"), { expectedSha256: "abc" }))).toEqual([
      "header.x-checksum-sha256: invalid_format",
    ]);
  });

  it("removes the bytes of an upload whose bucket was deleted while it streamed", async () => {
    async function* slowBody() {
      yield Buffer.from("part one ");
      // The bucket goes while the upload is still streaming.
      const deleted = await deleteBucket(t.ports, admin(), t.namespaceId, bucketId);
      expect(deleted.ok).toBe(true);
      yield Buffer.from("part two");
    }
    const answer = await put("late", Readable.from(slowBody()));
    expect(kindOf(answer)).toBe("not_found");
    expect(await t.storedFiles()).toEqual([]);
  });

  it("refuses bad keys and prefixes", async () => {
    for (const key of [
      "",
      "a//b",
      "../etc/passwd",
      "a/../b",
      "/lead",
      "trail/",
      "a b",
      "ü",
      "x".repeat(251),
      "./a",
    ]) {
      expect(issuesOf(await put(key, Buffer.from("x"))), key).toHaveLength(1);
    }
    const page = await listObjects(t.ports, admin(), t.namespaceId, bucketId, {
      prefix: "a b",
      limit: 10,
      cursor: undefined,
    });
    expect(issuesOf(page)).toEqual(["query.prefix: invalid_format"]);
    expect(await t.storedFiles()).toEqual([]);
  });

  it("lists in key order, by prefix, page by page", async () => {
    for (const key of ["b/2", "a/1", "b/1", "b-1", "c", "b/10", "ba"])
      expect((await put(key, Buffer.from(key))).ok).toBe(true);
    expect((await keysOf()).keys).toEqual(["a/1", "b-1", "b/1", "b/10", "b/2", "ba", "c"]);
    expect((await keysOf("b/")).keys).toEqual(["b/1", "b/10", "b/2"]);
    expect((await keysOf("b")).keys).toEqual(["b-1", "b/1", "b/10", "b/2", "ba"]);
    expect((await keysOf("zz")).keys).toEqual([]);
    const first = await keysOf("b", 2);
    expect(first.keys).toEqual(["b-1", "b/1"]);
    const second = await keysOf("b", 2, first.next ?? undefined);
    expect(second.keys).toEqual(["b/10", "b/2"]);
    const third = await keysOf("b", 2, second.next ?? undefined);
    expect(third).toEqual({ keys: ["ba"], next: null });
    const bad = await listObjects(t.ports, admin(), t.namespaceId, bucketId, {
      prefix: "",
      limit: 2,
      cursor: "nope",
    });
    expect(kindOf(bad)).toBe("bad_request");
  });

  it("deletes an object's record and bytes", async () => {
    expect((await put("gone", Buffer.from("x"))).ok).toBe(true);
    const deleted = await deleteObject(t.ports, admin(), t.namespaceId, bucketId, "gone");
    expect(deleted.ok ? deleted.value.key : undefined).toBe("gone");
    expect(kindOf(await deleteObject(t.ports, admin(), t.namespaceId, bucketId, "gone"))).toBe("not_found");
    expect(kindOf(await getObject(t.ports, admin(), t.namespaceId, bucketId, "gone"))).toBe("not_found");
    expect(await t.storedFiles()).toEqual([]);
  });

  it("keeps namespaces apart and checks permissions", async () => {
    expect((await put("k", Buffer.from("x"))).ok).toBe(true);
    const reader = callerOf(t.organizationId, { permissions: ["read"] });
    const upload = await putObject(t.ports, reader, t.namespaceId, bucketId, {
      key: "k2",
      contentType: "",
      expectedSha256: undefined,
      body: chunked(Buffer.from("x")),
    });
    expect(kindOf(upload)).toBe("forbidden");
    expect(kindOf(await deleteObject(t.ports, reader, t.namespaceId, bucketId, "k"))).toBe("forbidden");
    expect((await headObject(t.ports, reader, t.namespaceId, bucketId, "k")).ok).toBe(true);
    expect(kindOf(await headObject(t.ports, admin(), t.otherNamespaceId, bucketId, "k"))).toBe("not_found");
    expect(kindOf(await put("k", Buffer.from("y"), {}, "media-elsewhere"))).toBe("not_found");
  });
});
