import { createHash, randomBytes } from "node:crypto";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ApiResponse,
  callApi,
  expectErrorBody,
  startTestPlatform,
  type TestPlatform,
} from "./harness.js";

/** Buckets and objects through the gateway's REST API, on the real platform (embedded: files on disk). */
const MAX_OBJECT_BYTES = 12 * 1024 * 1024;
const MiB = 1024 * 1024;

interface Bucket {
  bucket_id: string;
  namespace_id: string;
  bucket_name: string;
}
interface StoredObject {
  key: string;
  size: number;
  content_type: string;
  sha256: string;
  etag: string;
}
interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

let platform: TestPlatform;
let namespaceId: string;
let otherNamespaceId: string;
let bucket: Bucket;

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const objects = (path = "", bucketRef = bucket.bucket_id) => `/v1/buckets/${bucketRef}/objects${path}`;

/** A raw upload: the body is the bytes (or a stream of them, sent chunked with no Content-Length). */
async function upload(
  key: string,
  body: Uint8Array | ReadableStream<Uint8Array>,
  headers: Record<string, string> = {},
  options: { namespace?: string; apiKey?: string; bucketRef?: string } = {},
): Promise<ApiResponse> {
  const response = await fetch(`${platform.url}${objects(`/${key}`, options.bucketRef)}`, {
    method: "PUT",
    headers: {
      authorization: `Bearer ${options.apiKey ?? platform.adminKey}`,
      "x-namespace": options.namespace ?? namespaceId,
      ...headers,
    },
    body,
    ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
  } as RequestInit);
  const text = await response.text();
  return {
    status: response.status,
    body: text.length > 0 ? JSON.parse(text) : undefined,
    headers: response.headers,
  };
}

async function download(key: string): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
  const response = await fetch(`${platform.url}${objects(`/${key}`)}`, {
    headers: { authorization: `Bearer ${platform.adminKey}`, "x-namespace": namespaceId },
  });
  return {
    status: response.status,
    bytes: Buffer.from(await response.arrayBuffer()),
    headers: response.headers,
  };
}

/** Files the embedded object store holds, its temp files included: garbage would show here. */
async function storedFiles(): Promise<string[]> {
  const root = join(platform.dataDir, "namespace", "objects");
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

async function listKeys(query = ""): Promise<Page<StoredObject>> {
  const listed = await platform.call<Page<StoredObject>>("GET", objects(query), { namespace: namespaceId });
  expect(listed.status, JSON.stringify(listed.body)).toBe(200);
  return listed.body;
}

beforeAll(async () => {
  platform = await startTestPlatform({ NAMESPACE_MAX_OBJECT_BYTES: String(MAX_OBJECT_BYTES) });
  const ids: string[] = [];
  for (const namespace_name of ["files", "elsewhere"]) {
    const created = await platform.call<{ namespace_id: string }>("POST", "/v1/namespaces", {
      body: { namespace_name },
    });
    expect(created.status).toBe(201);
    ids.push(created.body.namespace_id);
  }
  [namespaceId = "", otherNamespaceId = ""] = ids;
  const created = await platform.call<Bucket>("POST", "/v1/buckets", {
    namespace: namespaceId,
    body: { bucket_name: "media", description: "uploads" },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  bucket = created.body;
});
afterAll(async () => {
  await platform?.stop();
});

describe("buckets", () => {
  it("creates, lists, gets by id or name, refuses a duplicate, and deletes a bucket with its objects", async () => {
    expect(bucket.bucket_id).toMatch(/^bkt_/);
    expect(bucket).toMatchObject({ namespace_id: namespaceId, bucket_name: "media" });
    const scratch = await platform.call<Bucket>("POST", "/v1/buckets", {
      namespace: "files",
      body: { bucket_name: "scratch" },
    });
    expect(scratch.status).toBe(201);
    expectErrorBody(
      await platform.call("POST", "/v1/buckets", {
        namespace: namespaceId,
        body: { bucket_name: "scratch" },
      }),
      409,
      "AlreadyExistsError",
    );
    expectErrorBody(
      await platform.call("POST", "/v1/buckets", {
        namespace: namespaceId,
        body: { bucket_name: "bkt_lookalike" },
      }),
      422,
      "ValidationError",
    );
    const listed = await platform.call<Page<Bucket>>("GET", "/v1/buckets", { namespace: namespaceId });
    expect(listed.body.data.map((b) => b.bucket_name)).toEqual(["scratch", "media"]);
    const byName = await platform.call<Bucket>("GET", "/v1/buckets/scratch", { namespace: namespaceId });
    expect(byName.body.bucket_id).toBe(scratch.body.bucket_id);

    expect(
      (await upload("in/scratch.txt", Buffer.from("temporary"), {}, { bucketRef: "scratch" })).status,
    ).toBe(200);
    const before = (await storedFiles()).length;
    const deleted = await platform.call<Bucket>("DELETE", `/v1/buckets/${scratch.body.bucket_id}`, {
      namespace: namespaceId,
    });
    expect(deleted.status).toBe(200);
    expect(deleted.body.bucket_name).toBe("scratch");
    expect((await storedFiles()).length).toBe(before - 1);
    expectErrorBody(
      await platform.call("GET", "/v1/buckets/scratch", { namespace: namespaceId }),
      404,
      "NotFoundError",
    );
    expectErrorBody(
      await platform.call("GET", objects("", scratch.body.bucket_id), { namespace: namespaceId }),
      404,
      "NotFoundError",
    );
  });

  it("answers another namespace's bucket exactly like a missing one", async () => {
    const foreign = await platform.call("GET", `/v1/buckets/${bucket.bucket_id}`, {
      namespace: otherNamespaceId,
    });
    const missing = await platform.call("GET", "/v1/buckets/bkt_1111111111111111111111", {
      namespace: otherNamespaceId,
    });
    const a = expectErrorBody(foreign, 404, "NotFoundError");
    const b = expectErrorBody(missing, 404, "NotFoundError");
    expect(a.message).toBe(b.message);
    expect(Object.keys(a.details as object)).toEqual(Object.keys(b.details as object));
    expect((await upload("x", Buffer.from("x"), {}, { namespace: otherNamespaceId })).status).toBe(404);
    const listed = await platform.call("GET", objects(), { namespace: otherNamespaceId });
    expectErrorBody(listed, 404, "NotFoundError");
    // A bucket of the same name in the other namespace is a different bucket.
    const twin = await platform.call<Bucket>("POST", "/v1/buckets", {
      namespace: otherNamespaceId,
      body: { bucket_name: "media" },
    });
    expect(twin.status).toBe(201);
    const twinObjects = await platform.call<Page<StoredObject>>("GET", "/v1/buckets/media/objects", {
      namespace: otherNamespaceId,
    });
    expect(twinObjects.body.data).toEqual([]);
  });
});

describe("objects", () => {
  it("streams a multi-MiB upload in and the same bytes out, with HEAD giving the same headers", async () => {
    const bytes = randomBytes(8 * MiB + 13);
    const stored = await upload("videos/2024/clip.mp4", bytes, {
      "content-type": "video/mp4",
      "x-checksum-sha256": sha256(bytes),
    });
    expect(stored.status, JSON.stringify(stored.body)).toBe(200);
    expect(stored.body).toMatchObject({
      key: "videos/2024/clip.mp4",
      size: bytes.byteLength,
      content_type: "video/mp4",
      sha256: sha256(bytes),
    });
    const got = await download("videos/2024/clip.mp4");
    expect(got.status).toBe(200);
    expect(got.bytes.equals(bytes)).toBe(true);
    expect(got.headers.get("content-type")).toBe("video/mp4");
    expect(got.headers.get("content-length")).toBe(String(bytes.byteLength));
    expect(got.headers.get("etag")).toBe(`"${stored.body.etag}"`);
    expect(got.headers.get("x-checksum-sha256")).toBe(sha256(bytes));

    const head = await fetch(`${platform.url}${objects("/videos/2024/clip.mp4")}`, {
      method: "HEAD",
      headers: { authorization: `Bearer ${platform.adminKey}`, "x-namespace": "files" },
    });
    expect(head.status).toBe(200);
    for (const name of ["content-type", "content-length", "etag", "x-checksum-sha256"]) {
      expect(head.headers.get(name), name).toBe(got.headers.get(name));
    }
    expect((await head.arrayBuffer()).byteLength).toBe(0);
  });

  it("takes a chunked upload of unknown length, and replaces an object with the same key", async () => {
    const parts = [randomBytes(3 * MiB), randomBytes(2 * MiB), randomBytes(17)];
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = parts.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(next);
      },
    });
    const whole = Buffer.concat([...parts]);
    const first = await upload("streamed.bin", body);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ size: whole.byteLength, content_type: "application/octet-stream" });
    expect((await download("streamed.bin")).bytes.equals(whole)).toBe(true);
    const files = (await storedFiles()).length;
    const replaced = await upload("streamed.bin", Buffer.from("small now"), { "content-type": "text/plain" });
    expect(replaced.status).toBe(200);
    const got = await download("streamed.bin");
    expect(got.bytes.toString()).toBe("small now");
    expect(got.headers.get("content-type")).toBe("text/plain");
    // The replaced bytes are gone, not kept beside the new ones.
    expect((await storedFiles()).length).toBe(files);
  });

  it("lists by prefix in key order, page by page", async () => {
    for (const key of ["docs/b.txt", "docs/a.txt", "docs/sub/c.txt", "docsx.txt", "zeta.txt"]) {
      expect((await upload(key, Buffer.from(key), { "content-type": "text/plain" })).status).toBe(200);
    }
    const all = await listKeys("?prefix=docs/");
    expect(all.data.map((o) => o.key)).toEqual(["docs/a.txt", "docs/b.txt", "docs/sub/c.txt"]);
    expect(all.next_cursor).toBeNull();
    const page1 = await listKeys("?prefix=docs&limit=2");
    expect(page1.data.map((o) => o.key)).toEqual(["docs/a.txt", "docs/b.txt"]);
    const page2 = await listKeys(`?prefix=docs&limit=2&cursor=${page1.next_cursor}`);
    expect(page2.data.map((o) => o.key)).toEqual(["docs/sub/c.txt", "docsx.txt"]);
    expect(page2.next_cursor).toBeNull();
    expect(page1.data[0]).toMatchObject({
      size: 10,
      content_type: "text/plain",
      sha256: sha256(Buffer.from("docs/a.txt")),
    });
  });

  it("deletes an object", async () => {
    expect((await upload("to-delete.txt", Buffer.from("bye"))).status).toBe(200);
    const deleted = await platform.call<StoredObject>("DELETE", objects("/to-delete.txt"), {
      namespace: namespaceId,
    });
    expect(deleted.status).toBe(200);
    expect(deleted.body.key).toBe("to-delete.txt");
    expectErrorBody(
      await platform.call("GET", objects("/to-delete.txt"), { namespace: namespaceId }),
      404,
      "NotFoundError",
    );
    expectErrorBody(
      await platform.call("DELETE", objects("/to-delete.txt"), { namespace: namespaceId }),
      404,
      "NotFoundError",
    );
  });

  it("refuses an upload past the size limit with 413, keeping nothing", async () => {
    const before = await storedFiles();
    const tooBig = await upload("huge.bin", randomBytes(MAX_OBJECT_BYTES + MiB));
    const refusal = expectErrorBody(tooBig, 413, "PayloadTooLargeError");
    // The message and the details name the same limit: the object size limit, not the JSON body's.
    expect(refusal.message).toContain(String(MAX_OBJECT_BYTES));
    expect(refusal.details).toEqual({ limit_bytes: MAX_OBJECT_BYTES });
    expect((await listKeys("?prefix=huge")).data).toEqual([]);
    // HEAD answers have no body: the status is all there is.
    expect((await platform.call("HEAD", objects("/huge.bin"), { namespace: namespaceId })).status).toBe(404);
    expectErrorBody(
      await platform.call("GET", objects("/huge.bin"), { namespace: namespaceId }),
      404,
      "NotFoundError",
    );
    expect(await storedFiles()).toEqual(before);
  });

  it("refuses a body whose checksum differs, keeping nothing and leaving the old object", async () => {
    expect((await upload("checked.txt", Buffer.from("original"))).status).toBe(200);
    const before = await storedFiles();
    const wrong = await upload("checked.txt", Buffer.from("tampered"), {
      "x-checksum-sha256": sha256(Buffer.from("something else")),
    });
    expectErrorBody(wrong, 400, "BadRequestError");
    const fresh = await upload("never.txt", Buffer.from("x"), {
      "x-checksum-sha256": sha256(Buffer.from("y")),
    });
    expectErrorBody(fresh, 400, "BadRequestError");
    expect((await download("checked.txt")).bytes.toString()).toBe("original");
    expectErrorBody(
      await platform.call("GET", objects("/never.txt"), { namespace: namespaceId }),
      404,
      "NotFoundError",
    );
    expect(await storedFiles()).toEqual(before);
    expectErrorBody(
      await upload("bad-sum.txt", Buffer.from("x"), { "x-checksum-sha256": "abc" }),
      422,
      "ValidationError",
    );
  });

  it("refuses bad keys", async () => {
    const before = await storedFiles();
    for (const key of ["dir/..hidden", "a//b", "trailing/", "with%20space", "%C3%BC", "k".repeat(1025)]) {
      expectErrorBody(await upload(key, Buffer.from("x")), 422, "ValidationError");
    }
    // The longest key allowed works: the wildcard parameter is not cut at fastify's 100 characters.
    const longest = `${"k".repeat(250)}/${"k".repeat(250)}/${"k".repeat(250)}/${"k".repeat(250)}/${"k".repeat(20)}`;
    expect(longest).toHaveLength(1024);
    expect((await upload(longest, Buffer.from("x"))).status).toBe(200);
    expect((await platform.call("DELETE", objects(`/${longest}`), { namespace: namespaceId })).status).toBe(
      200,
    );
    expectErrorBody(
      await platform.call("GET", objects("/a//b"), { namespace: namespaceId }),
      422,
      "ValidationError",
    );
    expectErrorBody(
      await platform.call("GET", objects("?prefix=a%20b"), { namespace: namespaceId }),
      422,
      "ValidationError",
    );
    expect(await storedFiles()).toEqual(before);
  });

  it("needs write to change and read to look; needs X-Namespace", async () => {
    const key = await platform.call<{ api_key: string }>("POST", "/v1/api-keys", {
      body: { name: "reader", permissions: ["read"] },
    });
    expect(key.status).toBe(201);
    const reader = key.body.api_key;
    expectErrorBody(await upload("r.txt", Buffer.from("x"), {}, { apiKey: reader }), 403, "ForbiddenError");
    expectErrorBody(
      await callApi(platform.url, "DELETE", objects("/zeta.txt"), { key: reader, namespace: namespaceId }),
      403,
      "ForbiddenError",
    );
    expectErrorBody(
      await callApi(platform.url, "POST", "/v1/buckets", {
        key: reader,
        namespace: namespaceId,
        body: { bucket_name: "r" },
      }),
      403,
      "ForbiddenError",
    );
    expectErrorBody(
      await callApi(platform.url, "DELETE", `/v1/buckets/${bucket.bucket_id}`, {
        key: reader,
        namespace: namespaceId,
      }),
      403,
      "ForbiddenError",
    );
    const read = await callApi(platform.url, "GET", objects("/zeta.txt"), {
      key: reader,
      namespace: namespaceId,
    });
    expect(read.status).toBe(200);
    expect(read.body).toBe("zeta.txt");
    expect(
      (await callApi(platform.url, "GET", objects(), { key: reader, namespace: namespaceId })).status,
    ).toBe(200);
    const noNamespace = await fetch(`${platform.url}${objects("/n.txt")}`, {
      method: "PUT",
      headers: { authorization: `Bearer ${platform.adminKey}` },
      body: Buffer.from("x"),
    });
    expect(noNamespace.status).toBe(400);
  });
});
