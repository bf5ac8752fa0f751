import { type AnyEventEnvelope, EVENTS_STREAM, parseEvent } from "@strata/events";
import {
  AckPolicy,
  type ConsumerConfig,
  DeliverPolicy,
  headers,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  type NatsConnection,
  NatsError,
  nanos,
} from "nats";
import { type BusLogger, describeError } from "./bus-logger.js";
import { logConsumerStatus } from "./consumer-status.js";
import { inConsumerSpan } from "./consumer-tracing.js";
import { deadLetterSubjectFor } from "./streams.js";
import { contextFromHeaders } from "./trace-headers.js";

export type ConsumerOutcome =
  | { readonly action: "ack" }
  | { readonly action: "retry"; readonly delayMs: number }
  | { readonly action: "dead"; readonly reason: string };

export interface Delivery {
  /** 1 on the first delivery, then 2, 3 … */
  readonly attempt: number;
  readonly subject: string;
}

export type EventHandler = (event: AnyEventEnvelope, delivery: Delivery) => Promise<ConsumerOutcome>;

export interface DurableConsumerOptions {
  readonly nc: NatsConnection;
  /** Shared by every replica of the service; they split the work. No dots or wildcards. */
  readonly durable: string;
  /** One subject filter on STRATA_EVENTS, e.g. `subjectFilterFor("document.created")`. */
  readonly filterSubject: string;
  readonly handler: EventHandler;
  /** A handler must finish within this or the event is redelivered; default 30 s. */
  readonly ackWaitMs?: number;
  /** Attempts before the event is dead-lettered; default 5. */
  readonly maxDeliver?: number;
  /** Default `strata.dlq.<durable>` (kept by the STRATA_DLQ stream). */
  readonly deadLetterSubject?: string;
  readonly logger: BusLogger;
  /** Handlers running at once in this process; default 1 (events handled in stream order). */
  readonly concurrency?: number;
  /**
   * Events pulled ahead of the handlers; default max(64, 4 × concurrency). Their ack_wait runs
   * while they wait, so lower it when handlers are slow.
   */
  readonly prefetch?: number;
  /** Where a newly created durable starts: every retained event (default) or only new ones. */
  readonly startAt?: "all" | "new";
  /** Delay before retrying a handler that threw: doubles per attempt; default 1 s → 60 s. */
  readonly errorBackoff?: { readonly initialMs: number; readonly maxMs: number };
}

export interface ConsumerHandle {
  /** Stops taking events and waits for the handlers in flight. */
  stop(): Promise<void>;
}

/** Headers added to a dead letter, beside the original ones (traceparent …). */
export const DEAD_LETTER_HEADERS = {
  reason: "Strata-Dead-Reason",
  subject: "Strata-Original-Subject",
  sequence: "Strata-Original-Sequence",
  consumer: "Strata-Consumer",
  attempts: "Strata-Attempts",
} as const;

const CONSUMER_NOT_FOUND = 10014;

/**
 * A durable pull consumer on STRATA_EVENTS with explicit acks. The handler's outcome decides:
 * ack, retry after a delay (`nak`), or dead-letter (published to the DLQ subject, then `term`).
 * Events that fail validation are dead-lettered without reaching the handler; a handler that
 * throws is retried with backoff; after `maxDeliver` attempts the event is dead-lettered.
 */
export async function startDurableConsumer(options: DurableConsumerOptions): Promise<ConsumerHandle> {
  const maxDeliver = options.maxDeliver ?? 5;
  const ackWaitMs = options.ackWaitMs ?? 30_000;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const deadLetterSubject = options.deadLetterSubject ?? deadLetterSubjectFor(options.durable);
  const jsm = await options.nc.jetstreamManager();
  // The server delivers once more than the handler may run: that last delivery only dead-letters,
  // so an event whose final attempt timed out (a crash, a hang) still reaches the DLQ.
  await ensureDurable(jsm, {
    durable_name: options.durable,
    filter_subject: options.filterSubject,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(ackWaitMs),
    max_deliver: maxDeliver + 1,
    deliver_policy: options.startAt === "new" ? DeliverPolicy.New : DeliverPolicy.All,
  });
  const js = options.nc.jetstream();
  const consumer = await js.consumers.get(EVENTS_STREAM, options.durable);
  const messages = await consumer.consume({
    max_messages: Math.max(1, options.prefetch ?? Math.max(64, concurrency * 4)),
  });
  const processing: ProcessContext = { ...options, js, maxDeliver, deadLetterSubject };

  let stopping = false;
  const inFlight = new Set<Promise<void>>();
  logConsumerStatus(messages, options.logger, options.durable);
  const loop = (async () => {
    try {
      for await (const m of messages) {
        if (stopping) {
          m.nak(); // hand it to another replica now rather than after ack_wait
          continue;
        }
        while (inFlight.size >= concurrency) await Promise.race(inFlight);
        const task: Promise<void> = handleMessage(processing, m).finally(() => inFlight.delete(task));
        inFlight.add(task);
      }
    } catch (e) {
      options.logger.error({ ...describeError(e), durable: options.durable }, "event consumer stopped");
    }
    await Promise.allSettled([...inFlight]);
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

interface ProcessContext extends DurableConsumerOptions {
  readonly js: JetStreamClient;
  readonly maxDeliver: number;
  readonly deadLetterSubject: string;
}

async function handleMessage(p: ProcessContext, m: JsMsg): Promise<void> {
  const attempt = m.info.deliveryCount;
  try {
    if (attempt > p.maxDeliver) {
      await deadLetter(p, m, `no outcome after ${p.maxDeliver} deliveries (handler timed out or crashed)`);
      return;
    }
    const parsed = parseEvent(m.data);
    if (!parsed.ok) {
      await deadLetter(p, m, `invalid event: ${parsed.reason}`);
      return;
    }
    const outcome = await runHandler(p, m, parsed.event, attempt);
    switch (outcome.action) {
      case "ack":
        m.ack();
        return;
      case "retry":
        if (attempt >= p.maxDeliver) await deadLetter(p, m, `gave up after ${attempt} attempts`);
        else m.nak(Math.max(0, outcome.delayMs));
        return;
      case "dead":
        await deadLetter(p, m, outcome.reason);
        return;
    }
  } catch (e) {
    // Only a failed dead-letter publish lands here: keep the event and try again later.
    p.logger.error(
      { ...describeError(e), subject: m.subject, seq: m.info.streamSequence },
      "event not settled",
    );
    m.nak(5_000);
  }
}

async function runHandler(
  p: ProcessContext,
  m: JsMsg,
  event: AnyEventEnvelope,
  attempt: number,
): Promise<ConsumerOutcome> {
  try {
    return await inConsumerSpan(contextFromHeaders(m.headers), event, m.subject, p.durable, () =>
      p.handler(event, { attempt, subject: m.subject }),
    );
  } catch (e) {
    const backoff = p.errorBackoff ?? { initialMs: 1_000, maxMs: 60_000 };
    const delayMs = Math.min(backoff.maxMs, backoff.initialMs * 2 ** (attempt - 1));
    p.logger.warn(
      {
        ...describeError(e),
        durable: p.durable,
        event_id: event.id,
        type: event.type,
        attempt,
        delay_ms: delayMs,
      },
      "event handler threw; will retry",
    );
    return { action: "retry", delayMs };
  }
}

async function deadLetter(p: ProcessContext, m: JsMsg, reason: string): Promise<void> {
  const h = headers();
  for (const key of m.headers?.keys() ?? []) {
    // Nats-* headers (the original Msg-Id above all) belong to the original publish.
    if (key.toLowerCase().startsWith("nats-")) continue;
    for (const value of m.headers?.values(key) ?? []) h.append(key, value);
  }
  h.set(DEAD_LETTER_HEADERS.reason, headerSafe(reason));
  h.set(DEAD_LETTER_HEADERS.subject, m.subject);
  h.set(DEAD_LETTER_HEADERS.sequence, String(m.info.streamSequence));
  h.set(DEAD_LETTER_HEADERS.consumer, p.durable);
  h.set(DEAD_LETTER_HEADERS.attempts, String(m.info.deliveryCount));
  // The msg id makes a repeated dead-lettering of the same delivery (after a crash) a no-op.
  await p.js.publish(p.deadLetterSubject, m.data, {
    headers: h,
    msgID: `${p.durable}:${m.info.streamSequence}`,
  });
  m.term();
  p.logger.warn(
    { durable: p.durable, subject: m.subject, seq: m.info.streamSequence, reason },
    "event dead-lettered",
  );
}

function headerSafe(value: string): string {
  return value.replace(/[\r\n]+/g, " ").slice(0, 1000);
}

type WantedConsumer = Pick<
  ConsumerConfig,
  "durable_name" | "filter_subject" | "ack_policy" | "ack_wait" | "max_deliver" | "deliver_policy"
>;

/** Creates the durable, or updates its timings; replicas starting together create it identically. */
async function ensureDurable(jsm: JetStreamManager, wanted: WantedConsumer): Promise<void> {
  const name = wanted.durable_name ?? "";
  const existing = await jsm.consumers.info(EVENTS_STREAM, name).catch((e: unknown) => {
    if (e instanceof NatsError && e.api_error?.err_code === CONSUMER_NOT_FOUND) return undefined;
    throw e;
  });
  if (existing === undefined) {
    await jsm.consumers.add(EVENTS_STREAM, wanted);
    return;
  }
  if (existing.config.filter_subject !== wanted.filter_subject) {
    // A bug in the caller: the server (2.9) cannot change a durable's filter in place.
    throw new Error(
      `durable ${name} filters ${existing.config.filter_subject ?? "(none)"}, not ${wanted.filter_subject}; ` +
        "use another durable name or delete this one",
    );
  }
  if (existing.config.ack_wait !== wanted.ack_wait || existing.config.max_deliver !== wanted.max_deliver) {
    await jsm.consumers.update(EVENTS_STREAM, name, {
      ack_wait: wanted.ack_wait,
      max_deliver: wanted.max_deliver,
    });
  }
}
