import type { Logger } from "@strata/logger";
import type { NatsConnection } from "@strata/service-kit";
import type { BatchChunkRef } from "../../modules/batches/ports.js";
import { BATCH_WORK_SUBJECT_ROOT } from "./work-stream.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function chunkSubject(ref: BatchChunkRef): string {
  return `${BATCH_WORK_SUBJECT_ROOT}.${ref.batchId}.${ref.chunk}`;
}

export function encodeChunkRef(ref: BatchChunkRef): Uint8Array {
  return encoder.encode(JSON.stringify({ batch_id: ref.batchId, chunk: ref.chunk }));
}

export function decodeChunkRef(data: Uint8Array): BatchChunkRef | undefined {
  try {
    const value: unknown = JSON.parse(decoder.decode(data));
    if (typeof value !== "object" || value === null) return undefined;
    const { batch_id: batchId, chunk } = value as { batch_id?: unknown; chunk?: unknown };
    if (typeof batchId !== "string" || typeof chunk !== "number" || !Number.isInteger(chunk))
      return undefined;
    return { batchId, chunk };
  } catch {
    return undefined;
  }
}

/**
 * The `enqueueChunks` port: publishes one work message per chunk, all acks awaited together. The
 * msg id drops a re-publish inside the duplicate window. A failure is logged, not returned: the
 * batch is already committed, and the start-up sweep enqueues what never reached the stream.
 */
export function batchChunkPublisher(nc: NatsConnection, logger: Logger) {
  const js = nc.jetstream();
  return async (chunks: readonly BatchChunkRef[]): Promise<void> => {
    const published = await Promise.allSettled(
      chunks.map((ref) =>
        js.publish(chunkSubject(ref), encodeChunkRef(ref), { msgID: `${ref.batchId}:${ref.chunk}` }),
      ),
    );
    const failed = published.filter((p) => p.status === "rejected");
    if (failed.length > 0) {
      logger.error(
        { failed: failed.length, chunks: chunks.length, reason: String(failed[0]?.reason) },
        "batch chunks not enqueued; they are enqueued again at the next start",
      );
    }
  };
}
