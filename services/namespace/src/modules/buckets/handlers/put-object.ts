import { Readable } from "node:stream";
import { badRequest, err, ok } from "@strata/errors";
import type { ClientStreamHandlerWithCaller } from "@strata/grpc";
import type { bucketV1 } from "@strata/proto";
import type { BucketPorts } from "../ports.js";
import { putObject } from "../put-object.js";
import { objectToProto } from "./bucket-mapping.js";

export function putObjectHandler(
  ports: BucketPorts,
): ClientStreamHandlerWithCaller<bucketV1.PutObjectRequest, bucketV1.PutObjectResponse> {
  return async (messages, { caller, signal }) => {
    try {
      const iterator = messages[Symbol.asyncIterator]();
      const first = await iterator.next();
      const header = first.done === true ? undefined : first.value.header;
      if (header === undefined) return err(badRequest("An upload's first message must be its header"));
      const result = await putObject(ports, caller, header.namespaceId, header.bucket, {
        key: header.key,
        contentType: header.contentType,
        expectedSha256: header.expectedSha256,
        body: Readable.from(chunksAfterHeader(iterator)),
      });
      return result.ok ? ok({ object: objectToProto(result.value) }) : result;
    } catch (exception: unknown) {
      // The client went away mid-upload (the store kept nothing of it); not a fault of ours.
      if (signal.aborted) return err(badRequest("The upload was cancelled"));
      if (exception instanceof BrokenUpload) return err(badRequest(exception.message));
      throw exception;
    }
  };
}

/**
 * The body's chunks, up to the end marker. A cancelled call can end the message stream as if the
 * body were complete (grpc-js may deliver the end of the stream before the cancellation): only the
 * marker, with the right byte count, ends the body, so a broken-off upload never replaces an object.
 */
class BrokenUpload extends Error {}

async function* chunksAfterHeader(
  iterator: AsyncIterator<bucketV1.PutObjectRequest>,
): AsyncGenerator<Buffer> {
  let received = 0;
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) throw new BrokenUpload("The upload stopped before its end marker");
    const { chunk, end } = next.value;
    if (end !== undefined) {
      if (end.size !== received)
        throw new BrokenUpload(`The upload's end says ${end.size} bytes, ${received} came`);
      return;
    }
    // Our own gateway is the only client: a second header is a bug, and fails the upload.
    if (chunk === undefined) throw new Error("An upload sends its header once, then chunks only");
    received += chunk.length;
    yield chunk;
  }
}
