import type { Readable } from "node:stream";
import { ok } from "@strata/errors";
import type { ServerStreamHandlerWithCaller } from "@strata/grpc";
import type { bucketV1 } from "@strata/proto";
import type { BucketPorts } from "../ports.js";
import { getObject } from "../read-objects.js";
import type { ObjectRecord } from "../tables.js";
import { objectToProto } from "./bucket-mapping.js";

export function getObjectHandler(
  ports: BucketPorts,
): ServerStreamHandlerWithCaller<bucketV1.GetObjectRequest, bucketV1.GetObjectResponse> {
  return async (request, { caller }) => {
    const found = await getObject(ports, caller, request.namespaceId, request.bucket, request.key);
    return found.ok ? ok(messagesOf(found.value.object, found.value.body)) : found;
  };
}

/** The info first, then the bytes as the store reads them (64 KiB chunks for files). */
async function* messagesOf(object: ObjectRecord, body: Readable): AsyncGenerator<bucketV1.GetObjectResponse> {
  try {
    yield { info: objectToProto(object) };
    for await (const chunk of body) yield { chunk: Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk) };
  } finally {
    body.destroy();
  }
}
