import type { AppError, Result } from "@strata/errors";
import { AckPolicy, DeliverPolicy, type JsMsg, type NatsConnection, nanos } from "nats";
import { AckBatch } from "./ack-batch.js";
import type { Backoff } from "./backoff.js";
import { type BusLogger, describeError } from "./bus-logger.js";
import { logConsumerStatus } from "./consumer-status.js";
import { ensureDurable } from "./durable-config.js";
import { processMessage } from "./process-message.js";
import { deadLetterSubjectFor } from "./streams.js";

export type ConsumerOutcome =
  | { readonly action: "ack" }
  /** Without `delayMs` the consumer's `retryBackoff` for this attempt. */
  | { readonly action: "retry"; readonly delayMs?: number }
  | { readonly action: "dead"; readonly reason: string };

export interface Delivery {
  /** 1 on the first delivery, then 2, 3 … */
  readonly attempt: number;
  readonly subject: string;
}

/**
 * Told which durables run in this process and what they dead-letter (metrics). A port so the bus
 * needs no metrics library; the platform's @strata/metrics implements it and reads each durable's
 * pending and redelivered counts from JetStream when scraped.
 */
export interface ConsumerObserver {
  consumerStarted(stream: string, durable: string): void;
  consumerStopped(durable: string): void;
  deadLettered(durable: string): void;
}

export interface ConsumerHandle {
  /** Stops taking messages and waits for the handlers in flight (their heartbeats go on). */
  stop(): Promise<void>;
}

/** The settings both faces share (startEventConsumer, startWorkQueueConsumer). */
export interface ConsumerSettings {
  readonly nc: NatsConnection;
  /** Shared by every replica of the service; they split the work. No dots or wildcards. */
  readonly durable: string;
  readonly logger: BusLogger;
  /**
   * How long the server waits for an ack or a heartbeat before it redelivers: how soon the
   * message of a crashed replica is handled again. The engine heartbeats every message it holds,
   * so this needs no room for slow handlers; default 30 s.
   */
  readonly ackWaitMs?: number;
  /**
   * How long heartbeats keep a running handler's message; past it the handler counts as hung and
   * the message is delivered again after `ackWaitMs` (the late outcome still settles it). Default 5 min.
   */
  readonly maxHandlerMs?: number;
  /** Attempts before the message is dead-lettered; default 5. */
  readonly maxDeliver?: number;
  /** Default `strata.dlq.<durable>` (kept by the STRATA_DLQ stream). */
  readonly deadLetterSubject?: string;
  /** Handlers running at once in this process; default 1 (messages handled in stream order). */
  readonly concurrency?: number;
  /**
   * Messages pulled ahead of the handlers. They wait in the client's buffer without heartbeats,
   * their ack_wait running: keep it at `concurrency` when handlers are slow.
   */
  readonly prefetch?: number;
  /**
   * Delay before a retry the handler did not time (it threw, or answered retry without `delayMs`):
   * doubles per attempt; default 1 s → 60 s.
   */
  readonly retryBackoff?: Backoff;
  /** The process's metrics; none: nothing is counted. */
  readonly observer?: ConsumerObserver;
}

/** What a face adds to the engine: where to read, and what one message means. */
export interface EngineFace {
  readonly stream: string;
  /** Undefined: every subject of the stream. */
  readonly filterSubject?: string;
  readonly startAt: "all" | "new";
  readonly defaultPrefetch: number;
  /** The handler's outcome for one delivery; a throw means "retry with backoff". */
  handle(m: JsMsg, delivery: Delivery): Promise<ConsumerOutcome>;
  /** Runs before a message is dead-lettered; an error keeps the message and it is tried again. */
  beforeDeadLetter?(m: JsMsg, reason: string): Promise<Result<unknown, AppError>>;
}

/** ConsumerSettings with their defaults applied, as process-message.ts reads them. */
export interface EngineContext extends EngineFace {
  readonly js: ReturnType<NatsConnection["jetstream"]>;
  readonly durable: string;
  readonly logger: BusLogger;
  readonly ackWaitMs: number;
  readonly maxHandlerMs: number;
  readonly maxDeliver: number;
  readonly deadLetterSubject: string;
  readonly retryBackoff: Backoff;
  readonly observer: ConsumerObserver | undefined;
  /** Where handled messages' acks wait for the end of the turn, to leave in one write. */
  readonly acks: AckBatch;
  /** True once stop() was called: a dead letter that keeps failing is then left for later. */
  stopping(): boolean;
}

/**
 * The one JetStream consumer engine: a durable pull consumer with explicit acks whose settings
 * converge on start, a bounded number of handlers at once, heartbeats (`working()`) for every
 * message in hand, retries with a delay, dead letters in one format, and a graceful stop.
 *
 * Deliveries: the durable's max_deliver is `maxDeliver + 1`. The handler runs at most `maxDeliver`
 * times; the extra delivery only dead-letters, so a message whose last attempt never settled (the
 * replica crashed, the handler hung) still reaches the dead-letter subject instead of staying
 * unsettled on the stream.
 */
export async function startConsumerEngine(
  settings: ConsumerSettings,
  face: EngineFace,
): Promise<ConsumerHandle> {
  const concurrency = Math.max(1, settings.concurrency ?? 1);
  const ackWaitMs = settings.ackWaitMs ?? 30_000;
  const maxDeliver = settings.maxDeliver ?? 5;
  await ensureDurable(await settings.nc.jetstreamManager(), face.stream, {
    durable_name: settings.durable,
    ...(face.filterSubject === undefined ? {} : { filter_subject: face.filterSubject }),
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(ackWaitMs),
    max_deliver: maxDeliver + 1,
    deliver_policy: face.startAt === "new" ? DeliverPolicy.New : DeliverPolicy.All,
  });
  const js = settings.nc.jetstream();
  const consumer = await js.consumers.get(face.stream, settings.durable);
  const messages = await consumer.consume({
    max_messages: Math.max(1, settings.prefetch ?? face.defaultPrefetch),
  });
  let stopping = false;
  const context: EngineContext = {
    ...face,
    js,
    durable: settings.durable,
    logger: settings.logger,
    ackWaitMs,
    maxHandlerMs: settings.maxHandlerMs ?? 5 * 60_000,
    maxDeliver,
    deadLetterSubject: settings.deadLetterSubject ?? deadLetterSubjectFor(settings.durable),
    retryBackoff: settings.retryBackoff ?? { initialMs: 1_000, maxMs: 60_000 },
    observer: settings.observer,
    acks: new AckBatch(),
    stopping: () => stopping,
  };
  settings.observer?.consumerStarted(face.stream, settings.durable);
  const inFlight = new Set<Promise<void>>();
  logConsumerStatus(messages, settings.logger, settings.durable);
  const loop = (async () => {
    try {
      for await (const m of messages) {
        if (stopping) {
          m.nak(); // hand it to another replica now rather than after ack_wait
          continue;
        }
        const task: Promise<void> = processMessage(context, m).finally(() => inFlight.delete(task));
        inFlight.add(task);
        // Wait for a free slot before asking the client for more: it pulls the next messages only
        // when asked, and a message still in its buffer gets no heartbeats.
        while (inFlight.size >= concurrency) await Promise.race(inFlight);
      }
    } catch (e) {
      settings.logger.error({ ...describeError(e), durable: settings.durable }, "consumer stopped");
    }
    await Promise.allSettled([...inFlight]);
    context.acks.flush();
  })();

  return {
    async stop() {
      if (stopping) return loop;
      stopping = true;
      await messages.close();
      await loop;
      settings.observer?.consumerStopped(settings.durable);
    },
  };
}
