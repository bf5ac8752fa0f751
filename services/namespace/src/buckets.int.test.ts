import { createHash, randomBytes } from "node:crypto";
import * as grpc from "@grpc/grpc-js";
import type { Caller } from "@strata/access";
import { callClientStream, callerMetadata, callUnary, fromGrpcError, openServerStream } from "@strata/grpc";
import { newId } from "@strata/ids";
import type { bucketV1 } from "@strata/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminCaller, type NamespaceHarness, startNamespaceHarness } from "./testing/service-harness.js";

/** BucketService over real gRPC: the streaming calls, their caller checks and error mapping. */
const MAX = 256 * 1024;
let h: NamespaceHarness;
let namespaceId: string;
const admin: Caller = adminCaller();

async function* uploadOf(
  key: string,
  chunks: Iterable<Uint8Array>,
  extra: Partial<bucketV1.PutObjectHeader> = {},
): AsyncGenerator<bucketV1.PutObjectRequest> {
  yield { header: { namespaceId, bucket: "media", key, contentType: "text/plain", ...extra } };
  let size = 0;
  for (const chunk of chunks) {
    size += chunk.length;
    yield { chunk: Buffer.from(chunk) };
  }
  yield { end: { size } };
}

const put = (messages: AsyncIterable<bucketV1.PutObjectRequest>, caller: Caller = admin) =>
  callClientStream(h.buckets.putObject.bind(h.buckets), messages, { caller });

beforeAll(async () => {
  h = await startNamespaceHarness({ NAMESPACE_MAX_OBJECT_BYTES: String(MAX) });
  const created = await callUnary(
    h.client.createNamespace.bind(h.client),
    { namespaceName: "objects", description: "" },
    { caller: admin },
  );
  if (!created.ok) throw new Error(created.error.message);
  namespaceId = created.value.namespace?.namespaceId ?? "";
  const bucket = await callUnary(
    h.buckets.createBucket.bind(h.buckets),
    { namespaceId, bucketName: "media", description: "" },
    { caller: admin },
  );
  expect(bucket.ok).toBe(true);
});
afterAll(async () => {
  await h?.close();
});

describe("bucket service over gRPC", () => {
  it("uploads chunk by chunk and downloads the same bytes, info first", async () => {
    const bytes = randomBytes(MAX);
    const chunks = [bytes.subarray(0, 1000), bytes.subarray(1000, 100_000), bytes.subarray(100_000)];
    const stored = await put(uploadOf("a/b.txt", chunks));
    if (!stored.ok) throw new Error(stored.error.message);
    expect(stored.value.object).toMatchObject({
      key: "a/b.txt",
      size: MAX,
      sha256: createHash("sha256").update(bytes).digest("hex"),
    });
    const opened = await openServerStream(
      h.buckets.getObject.bind(h.buckets),
      { namespaceId, bucket: "media", key: "a/b.txt" },
      { caller: admin },
    );
    if (!opened.ok) throw new Error(opened.error.message);
    expect(opened.value.first.info?.contentType).toBe("text/plain");
    const received: Buffer[] = [];
    for await (const message of opened.value.rest)
      if (message.chunk !== undefined) received.push(message.chunk);
    expect(Buffer.concat(received).equals(bytes)).toBe(true);
  });

  it("answers an upload past the limit before the client has sent it all, and stops reading it", async () => {
    let sent = 0;
    async function* endless(): AsyncGenerator<bucketV1.PutObjectRequest> {
      yield { header: { namespaceId, bucket: "media", key: "big", contentType: "" } };
      for (;;) {
        sent += 64 * 1024;
        yield { chunk: Buffer.alloc(64 * 1024) };
      }
    }
    const refused = await put(endless());
    expect(refused.ok ? undefined : refused.error.kind).toBe("payload_too_large");
    // Bounded by the limit plus what flow control let through, not by the (endless) body.
    expect(sent).toBeLessThan(MAX + 4 * 1024 * 1024);
  });

  it("keeps nothing of an upload that stops before its end marker or miscounts it", async () => {
    expect((await put(uploadOf("kept.txt", [Buffer.from("the original")]))).ok).toBe(true);
    const withoutEnd = await put(
      (async function* () {
        yield { header: { namespaceId, bucket: "media", key: "kept.txt", contentType: "text/plain" } };
        yield { chunk: Buffer.from("trunc") };
      })(),
    );
    expect(withoutEnd.ok ? undefined : withoutEnd.error.kind).toBe("bad_request");
    const miscounted = await put(
      (async function* () {
        yield { header: { namespaceId, bucket: "media", key: "kept.txt", contentType: "text/plain" } };
        yield { chunk: Buffer.from("trunc") };
        yield { end: { size: 1000 } };
      })(),
    );
    expect(miscounted.ok ? undefined : miscounted.error.kind).toBe("bad_request");
    const head = await callUnary(
      h.buckets.headObject.bind(h.buckets),
      { namespaceId, bucket: "media", key: "kept.txt" },
      { caller: admin },
    );
    expect(head.ok ? head.value.object?.size : undefined).toBe("the original".length);
  });

  it("maps errors before the first downloaded message to the service's AppError", async () => {
    const missing = await openServerStream(
      h.buckets.getObject.bind(h.buckets),
      { namespaceId, bucket: "media", key: "nope" },
      { caller: admin },
    );
    expect(missing.ok ? undefined : missing.error).toMatchObject({ kind: "not_found" });
    const foreign = await openServerStream(
      h.buckets.getObject.bind(h.buckets),
      { namespaceId, bucket: "media", key: "a/b.txt" },
      { caller: { ...admin, organizationId: newId("organization") } },
    );
    expect(foreign.ok ? undefined : foreign.error.kind).toBe("not_found");
    const reader = await put(uploadOf("r.txt", [Buffer.from("x")]), { ...admin, permissions: ["read"] });
    expect(reader.ok ? undefined : reader.error.kind).toBe("forbidden");
    const noHeader = await put(
      (async function* () {
        yield { chunk: Buffer.from("x") };
      })(),
    );
    expect(noHeader.ok ? undefined : noHeader.error.kind).toBe("bad_request");
  });

  it("refuses streaming calls that carry no caller", async () => {
    const upload = await new Promise<grpc.ServiceError | null>((resolve) => {
      const call = h.buckets.putObject(callerMetadata(), (error) => resolve(error));
      call.end();
    });
    expect(upload?.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(fromGrpcError(upload).kind).toBe("unauthorized");
    const download = await openServerStream(h.buckets.getObject.bind(h.buckets), {
      namespaceId,
      bucket: "media",
      key: "a/b.txt",
    });
    expect(download.ok ? undefined : download.error.kind).toBe("unauthorized");
  });
});
