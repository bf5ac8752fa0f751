import { DLQ_STREAM, DLQ_SUBJECT_ROOT, EVENTS_STREAM, EVENTS_SUBJECT_ROOT } from "@strata/events";
import {
  DiscardPolicy,
  type JetStreamManager,
  type NatsConnection,
  NatsError,
  nanos,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from "nats";

// Dead letters of every durable consumer, one subject per consumer: `strata.dlq.<durable>`. The
// names live in @strata/events with the format they document.
export { DEAD_LETTER_HEADERS, DLQ_STREAM, DLQ_SUBJECT_ROOT, deadLetterSubjectFor } from "@strata/events";

export interface EventStreamOptions {
  /** How long events stay on the stream; default 7 days. */
  readonly maxAgeMs?: number;
  /** Re-publishes of the same event id inside this window are dropped; default 2 minutes. */
  readonly duplicateWindowMs?: number;
  /** Stream replicas in a NATS cluster; default 1. */
  readonly replicas?: number;
  /** How long dead letters are kept for a human to look at; default 30 days. */
  readonly deadLetterMaxAgeMs?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
// JetStream API error: "stream name already in use with a different configuration".
const STREAM_NAME_IN_USE = 10058;
const STREAM_NOT_FOUND = 10059;

/**
 * Creates or updates STRATA_EVENTS and STRATA_DLQ. Every service calls it on start, possibly
 * several at once: identical creates are accepted by the server, and a create that loses the race
 * to a different configuration turns into an update. Limits left out of `options` only apply when
 * the stream is created: a service starting with defaults never undoes what the operator's launcher
 * set (e.g. 3 replicas in a cluster).
 */
export async function ensureEventStream(nc: NatsConnection, options: EventStreamOptions = {}): Promise<void> {
  const jsm = await nc.jetstreamManager();
  const replicas = options.replicas ?? 1;
  const explicit: ExplicitLimits = {
    max_age: options.maxAgeMs !== undefined,
    duplicate_window: options.duplicateWindowMs !== undefined,
    num_replicas: options.replicas !== undefined,
  };
  await ensureStream(jsm, explicit, {
    name: EVENTS_STREAM,
    subjects: [`${EVENTS_SUBJECT_ROOT}.>`],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: nanos(options.maxAgeMs ?? 7 * DAY_MS),
    duplicate_window: nanos(options.duplicateWindowMs ?? 2 * 60 * 1000),
    num_replicas: replicas,
  });
  await ensureStream(
    jsm,
    { ...explicit, max_age: options.deadLetterMaxAgeMs !== undefined },
    {
      name: DLQ_STREAM,
      subjects: [`${DLQ_SUBJECT_ROOT}.>`],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      max_age: nanos(options.deadLetterMaxAgeMs ?? 30 * DAY_MS),
      duplicate_window: nanos(2 * 60 * 1000),
      num_replicas: replicas,
    },
  );
}

/** Which limits the caller asked for; the others keep the live stream's values. */
export type ExplicitLimits = Record<"max_age" | "duplicate_window" | "num_replicas", boolean>;

export type WantedStream = Pick<
  StreamConfig,
  "name" | "subjects" | "storage" | "retention" | "discard" | "max_age" | "duplicate_window" | "num_replicas"
>;

/** Creates the stream, or converges a live one on `fresh` (see ensureEventStream). */
export async function ensureStream(
  jsm: JetStreamManager,
  explicit: ExplicitLimits,
  fresh: WantedStream,
): Promise<void> {
  let existing = await streamInfo(jsm, fresh.name);
  if (existing === undefined) {
    try {
      await jsm.streams.add(fresh);
      return;
    } catch (e) {
      // Another instance created it first with other settings; fall through to update.
      if (apiErrorCode(e) !== STREAM_NAME_IN_USE) throw e;
      existing = await streamInfo(jsm, fresh.name);
    }
  }
  const live = existing?.config;
  const wanted: WantedStream = {
    ...fresh,
    ...(live && !explicit.max_age ? { max_age: live.max_age } : {}),
    ...(live && !explicit.duplicate_window ? { duplicate_window: live.duplicate_window } : {}),
    ...(live && !explicit.num_replicas ? { num_replicas: live.num_replicas } : {}),
  };
  if (live && matches(live, wanted)) return;
  // storage and retention cannot change on a live stream; the update says so if they differ.
  const { name, ...update } = wanted;
  await jsm.streams.update(name, update);
}

async function streamInfo(jsm: JetStreamManager, name: string) {
  return jsm.streams.info(name).catch((e: unknown) => {
    if (apiErrorCode(e) === STREAM_NOT_FOUND) return undefined;
    throw e;
  });
}

function matches(actual: StreamConfig, wanted: WantedStream): boolean {
  return (
    actual.max_age === wanted.max_age &&
    actual.duplicate_window === wanted.duplicate_window &&
    actual.num_replicas === wanted.num_replicas &&
    actual.discard === wanted.discard &&
    JSON.stringify([...(actual.subjects ?? [])].sort()) === JSON.stringify([...wanted.subjects].sort())
  );
}

export function apiErrorCode(e: unknown): number | undefined {
  return e instanceof NatsError ? e.api_error?.err_code : undefined;
}
