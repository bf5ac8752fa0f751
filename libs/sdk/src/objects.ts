import type { Client } from "openapi-fetch";
import { StrataError, unwrap } from "./errors.js";
import type { components, paths } from "./gen/openapi.js";

/** Bytes, a Blob, a web stream, or any async iterable of bytes (a Node Readable, a file stream). */
export type UploadBody = Uint8Array | Blob | string | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

export interface UploadOptions {
  /** Stored with the object and served back on download; application/octet-stream by default. */
  readonly contentType?: string;
  /** Hex SHA-256 of the body: the server keeps nothing unless the bytes match. */
  readonly sha256?: string;
}

export interface Download {
  /** The object's bytes, read as they arrive. */
  readonly body: ReadableStream<Uint8Array>;
  readonly contentType: string;
  readonly size: number;
  readonly etag: string | null;
  readonly sha256: string | null;
}

const OBJECT_PATH = "/v1/buckets/{id}/objects/{key}";

/**
 * PUT an object. A stream is sent as it is read and never retried (it cannot be read twice);
 * bytes, strings and Blobs go through the retrying fetch (PUT is idempotent).
 */
export async function uploadObject(
  api: Client<paths>,
  sendOnce: (request: Request) => Promise<Response>,
  bucket: string,
  key: string,
  body: UploadBody,
  options: UploadOptions = {},
): Promise<components["schemas"]["BucketObject"]> {
  const streamed = !(body instanceof Uint8Array || body instanceof Blob || typeof body === "string");
  const headers: Record<string, string> = {
    "content-type": options.contentType ?? "application/octet-stream",
  };
  if (options.sha256 !== undefined) headers["x-checksum-sha256"] = options.sha256;
  return unwrap(
    api.PUT(OBJECT_PATH, {
      params: { path: { id: bucket, key } },
      // The generated type of a byte body is `string`; what is sent is the body as given.
      body: (streamed ? toStream(body) : body) as unknown as string,
      bodySerializer: (raw: unknown) => raw as RequestInit["body"],
      headers,
      ...(streamed ? { fetch: sendOnce, duplex: "half" } : {}),
    }),
  );
}

export async function downloadObject(api: Client<paths>, bucket: string, key: string): Promise<Download> {
  const { data, error, response } = await api.GET(OBJECT_PATH, {
    params: { path: { id: bucket, key } },
    parseAs: "stream",
  });
  if (!response.ok || data === undefined || data === null) throw new StrataError(response, error);
  return {
    body: data as ReadableStream<Uint8Array>,
    contentType: response.headers.get("content-type") ?? "application/octet-stream",
    size: Number(response.headers.get("content-length") ?? Number.NaN),
    etag: response.headers.get("etag"),
    sha256: response.headers.get("x-checksum-sha256"),
  };
}

function toStream(body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  if (body instanceof ReadableStream) return body;
  const iterator = body[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel(reason) {
      await iterator.return?.(reason);
    },
  });
}
