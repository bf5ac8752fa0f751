import { isRetryable } from "@strata/errors";
import type { Logger } from "@strata/logger";
import type { NatsConnection } from "@strata/service-kit";
import type { BatchPorts } from "../../modules/batches/ports.js";
import { processBatchChunk } from "../../modules/batches/process-chunk.js";
import { decodeChunkRef } from "./batch-work-queue.js";
import {
  apiErrorCode,
  BATCH_WORK_STREAM,
  BATCH_WORK_SUBJECT_ROOT,
  CONSUMER_NOT_FOUND,
  type ConsumerConfig,
  nanosOf,
} from "./work-stream.js";

export const BATCH_WORKER_DURABLE = "namespace_batch_worker";
/** Captured by STRATA_DLQ (`strata.dlq.>`), next to the event consumers' dead letters. */
export const BATCH_DEAD_LETTER_SUBJECT = `strata.dlq.${BATCH_WORKER_DURABLE}`;

export interface BatchWorkerOptions {
  readonly nc: NatsConnection;
  readonly ports: BatchPorts;
  readonly logger: Logger;
  /** A chunk must be written within this or it is delivered again; default 30 s. */
  readonly ackWaitMs?: number;
  /** Attempts before a chunk is given up (its items fail) and dead-lettered; default 5. */
  readonly maxDeliver?: number;
}

export interface BatchWorker {
  stop(): Promise<void>;
}

type JsMessages = Awaited<
  ReturnType<Awaited<ReturnType<ReturnType<NatsConnection["jetstream"]>["consumers"]["get"]>>["consume"]>
>;
type JsMsg = JsMessages extends AsyncIterable<infer M> ? M : never;

/**
 * The durable pull consumer that writes batch chunks, one at a time. Ack only after the chunk's
 * transaction committed; nak with a growing delay on an infrastructure failure; after maxDeliver
 * attempts the chunk's items are recorded as failed (so the batch still finishes) and the message
 * goes to the dead-letter subject.
 */
export async function startBatchWorker(options: BatchWorkerOptions): Promise<BatchWorker> {
  const maxDeliver = options.maxDeliver ?? 5;
  const ackWaitMs = options.ackWaitMs ?? 30_000;
  const jsm = await options.nc.jetstreamManager();
  const wanted: Partial<ConsumerConfig> = {
    durable_name: BATCH_WORKER_DURABLE,
    filter_subject: `${BATCH_WORK_SUBJECT_ROOT}.>`,
    ack_policy: "explicit" as ConsumerConfig["ack_policy"],
    ack_wait: nanosOf(ackWaitMs),
    // One delivery more than attempts: the last only gives up, so a chunk whose final attempt
    // crashed or hung still finishes its batch.
    max_deliver: maxDeliver + 1,
  };
  const existing = await jsm.consumers.info(BATCH_WORK_STREAM, BATCH_WORKER_DURABLE).catch((e: unknown) => {
    if (apiErrorCode(e) === CONSUMER_NOT_FOUND) return undefined;
    throw e;
  });
  if (existing === undefined) await jsm.consumers.add(BATCH_WORK_STREAM, wanted);
  const js = options.nc.jetstream();
  const consumer = await js.consumers.get(BATCH_WORK_STREAM, BATCH_WORKER_DURABLE);
  // Few in hand: each waits for its turn while its ack_wait runs.
  const messages = await consumer.consume({ max_messages: 4 });
  let stopping = false;
  const loop = (async () => {
    try {
      for await (const m of messages) {
        if (stopping) {
          m.nak();
          continue;
        }
        await handle(options, js, m, maxDeliver);
      }
    } catch (e) {
      options.logger.error({ err: String(e) }, "batch worker stopped");
    }
  })();
  return {
    async stop() {
      if (stopping) return loop;
      stopping = true;
      await messages.close();
      await loop;
    },
  };
}

async function handle(
  options: BatchWorkerOptions,
  js: ReturnType<NatsConnection["jetstream"]>,
  m: JsMsg,
  maxDeliver: number,
): Promise<void> {
  const { logger, ports } = options;
  const attempt = m.info.deliveryCount;
  const ref = decodeChunkRef(m.data);
  try {
    if (ref === undefined) {
      await deadLetter(js, m, "not a batch chunk message");
      return;
    }
    if (attempt > maxDeliver) {
      const reason = `batch chunk gave up after ${maxDeliver} attempts`;
      const given = await processBatchChunk(ports, ref.batchId, ref.chunk, { giveUp: reason });
      if (!given.ok) {
        m.nak(5_000);
        return;
      }
      await deadLetter(js, m, reason);
      return;
    }
    const result = await processBatchChunk(ports, ref.batchId, ref.chunk);
    if (result.ok) {
      m.ack();
      return;
    }
    const delayMs = isRetryable(result.error.kind) ? Math.min(30_000, 500 * 2 ** (attempt - 1)) : 5_000;
    logger.warn(
      { batch_id: ref.batchId, chunk: ref.chunk, attempt, reason: result.error.message },
      "batch chunk retried",
    );
    m.nak(delayMs);
  } catch (e) {
    // A store failure that threw: keep the chunk and try again later.
    logger.warn({ err: String(e), subject: m.subject, attempt }, "batch chunk failed; will retry");
    m.nak(Math.min(30_000, 1_000 * 2 ** (attempt - 1)));
  }
}

async function deadLetter(
  js: ReturnType<NatsConnection["jetstream"]>,
  m: JsMsg,
  reason: string,
): Promise<void> {
  const body = new TextEncoder().encode(
    JSON.stringify({
      reason,
      subject: m.subject,
      sequence: m.info.streamSequence,
      attempts: m.info.deliveryCount,
      data: new TextDecoder().decode(m.data),
    }),
  );
  await js.publish(BATCH_DEAD_LETTER_SUBJECT, body, {
    msgID: `${BATCH_WORKER_DURABLE}:${m.info.streamSequence}`,
  });
  m.term();
}
