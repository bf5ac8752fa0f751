import { createHash, randomBytes } from "node:crypto";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPlatform, type TestPlatform, waitUntil } from "./harness.js";

/**
 * An upload the client breaks off leaves nothing visible (ADR 0008): the object that was there
 * before stays, byte for byte, whether the broken body was announced by Content-Length or chunked.
 */
let platform: TestPlatform;
let namespaceId: string;
const BUCKET = "uploads";
const KEY = "reports/big.bin";
const original = randomBytes(1_000_000);
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

beforeAll(async () => {
  platform = await startTestPlatform();
  const created = await platform.call<{ namespace_id: string }>("POST", "/v1/namespaces", {
    body: { namespace_name: "broken-uploads" },
  });
  expect(created.status).toBe(201);
  namespaceId = created.body.namespace_id;
  const bucket = await platform.call("POST", "/v1/buckets", {
    namespace: namespaceId,
    body: { bucket_name: BUCKET },
  });
  expect(bucket.status).toBe(201);
});
afterAll(async () => {
  await platform?.stop();
});

/** Starts a PUT, sends `sent` bytes of the body, then destroys the socket without finishing. */
function breakOffUpload(headers: Record<string, string>, sent: Buffer): Promise<void> {
  const url = new URL(`${platform.url}/v1/buckets/${BUCKET}/objects/${KEY}`);
  return new Promise((resolve) => {
    const req = request(url, {
      method: "PUT",
      headers: {
        authorization: `Bearer ${platform.adminKey}`,
        "x-namespace": namespaceId,
        "content-type": "application/octet-stream",
        ...headers,
      },
    });
    req.on("error", () => resolve());
    req.on("close", () => resolve());
    req.write(sent, () => {
      // Give the gateway time to forward what it got before the connection dies.
      setTimeout(() => req.destroy(), 300);
    });
  });
}

async function head(): Promise<{ status: number; length: string | null; sha: string | null }> {
  const response = await fetch(`${platform.url}/v1/buckets/${BUCKET}/objects/${KEY}`, {
    method: "HEAD",
    headers: { authorization: `Bearer ${platform.adminKey}`, "x-namespace": namespaceId },
  });
  return {
    status: response.status,
    length: response.headers.get("content-length"),
    sha: response.headers.get("x-checksum-sha256"),
  };
}

async function expectOriginalUntouched(): Promise<void> {
  // The gateway and the namespace service settle the broken call asynchronously: give them time to
  // (wrongly) commit before checking that nothing changed.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const after = await head();
  expect(after).toEqual({ status: 200, length: String(original.length), sha: sha256(original) });
}

describe("an upload the client breaks off", () => {
  beforeAll(async () => {
    const put = await fetch(`${platform.url}/v1/buckets/${BUCKET}/objects/${KEY}`, {
      method: "PUT",
      headers: { authorization: `Bearer ${platform.adminKey}`, "x-namespace": namespaceId },
      body: original,
    });
    expect(put.status).toBe(200);
    await waitUntil(async () => (await head()).status === 200, 5_000);
  });

  it("with Content-Length leaves the previous object as it was", async () => {
    await breakOffUpload({ "content-length": String(original.length) }, randomBytes(100_000));
    await expectOriginalUntouched();
  });

  it("sent chunked leaves the previous object as it was", async () => {
    await breakOffUpload({ "transfer-encoding": "chunked" }, randomBytes(100_000));
    await expectOriginalUntouched();
  });
});
