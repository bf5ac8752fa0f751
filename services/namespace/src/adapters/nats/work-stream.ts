import type { NatsConnection } from "@strata/service-kit";

// The nats client is not a dependency of this package (service-kit owns the connection), so its
// config types are taken from the connection's own signatures.
type Jsm = Awaited<ReturnType<NatsConnection["jetstreamManager"]>>;
export type StreamConfig = Parameters<Jsm["streams"]["add"]>[0];
export type ConsumerConfig = Parameters<Jsm["consumers"]["add"]>[1];

/** Batch chunks waiting to be written; a chunk leaves the stream when a worker acks it. */
export const BATCH_WORK_STREAM = "STRATA_WORK_BATCHES";
export const BATCH_WORK_SUBJECT_ROOT = "strata.work.batch";

const STREAM_NAME_IN_USE = 10058;
const STREAM_NOT_FOUND = 10059;
export const CONSUMER_NOT_FOUND = 10014;

export const nanosOf = (ms: number): number => ms * 1_000_000;

/** The JetStream API error code of a failed request, if it is one. */
export function apiErrorCode(e: unknown): number | undefined {
  if (typeof e !== "object" || e === null || !("api_error" in e)) return undefined;
  const api = e.api_error;
  if (typeof api !== "object" || api === null || !("err_code" in api)) return undefined;
  return typeof api.err_code === "number" ? api.err_code : undefined;
}

/**
 * Creates the work-queue stream if it is missing. Replicas starting together may race: an
 * identical create is accepted, and "name in use" means another one won.
 */
export async function ensureBatchWorkStream(nc: NatsConnection): Promise<void> {
  const jsm = await nc.jetstreamManager();
  const found = await jsm.streams.info(BATCH_WORK_STREAM).catch((e: unknown) => {
    if (apiErrorCode(e) === STREAM_NOT_FOUND) return undefined;
    throw e;
  });
  if (found !== undefined) return;
  const config: Partial<StreamConfig> = {
    name: BATCH_WORK_STREAM,
    subjects: [`${BATCH_WORK_SUBJECT_ROOT}.>`],
    storage: "file" as StreamConfig["storage"],
    // Work-queue retention: a message is gone once acked, so the stream holds only pending work.
    retention: "workqueue" as StreamConfig["retention"],
    discard: "old" as StreamConfig["discard"],
    duplicate_window: nanosOf(2 * 60 * 1000),
  };
  try {
    await jsm.streams.add(config);
  } catch (e) {
    if (apiErrorCode(e) !== STREAM_NAME_IN_USE) throw e;
  }
}
