import { context } from "@opentelemetry/api";
import { type AnyEventEnvelope, EVENTS_STREAM, parseEvent } from "@strata/events";
import { ConsumerEvents, type ConsumerMessages, DeliverPolicy, type NatsConnection } from "nats";
import { type BusLogger, describeError } from "./bus-logger.js";
import { logConsumerStatus } from "./consumer-status.js";
import { contextFromHeaders } from "./trace-headers.js";

export interface BroadcastOptions {
  readonly nc: NatsConnection;
  /** One subject filter on STRATA_EVENTS, e.g. `subjectFilterFor("api_key.revoked")`. */
  readonly filterSubject: string;
  readonly handler: (event: AnyEventEnvelope) => void | Promise<void>;
  readonly logger: BusLogger;
  /**
   * Called when the feed may have a gap (the server's heartbeats stopped: its node died, or this
   * connection dropped), and `onResumed` once the consumer answers again. A cache that must never
   * outlive an invalidation stops trusting itself in between.
   */
  readonly onGap?: () => void;
  readonly onResumed?: () => void;
  /** The server's idle heartbeat; two missed ones are a gap. Default 300 ms. */
  readonly heartbeatMs?: number;
}

const PROBE_INTERVAL_MS = 250;

export interface BroadcastHandle {
  stop(): Promise<void>;
}

/**
 * Every process that calls this gets every matching event published from now on — for local
 * state such as caches, where each replica must hear about a revoked key. It is an ordered
 * (ephemeral, unacknowledged) consumer: after a reconnect, or if the server lost the consumer, the
 * client recreates it from the last sequence it saw, so events published meanwhile still arrive.
 * Handlers run one at a time in stream order; a handler that throws is logged and skipped.
 */
export async function subscribeToAllInstances(options: BroadcastOptions): Promise<BroadcastHandle> {
  const js = options.nc.jetstream();
  const consumer = await js.consumers.get(EVENTS_STREAM, {
    filterSubjects: options.filterSubject,
    deliver_policy: DeliverPolicy.New,
  });
  // A short pull expiry and heartbeat: a silent feed is noticed within about two heartbeats.
  const messages = await consumer.consume({ expires: 1_000, idle_heartbeat: options.heartbeatMs ?? 300 });
  logConsumerStatus(messages, options.logger, `broadcast ${options.filterSubject}`);
  const gaps = watchForGaps(messages, () => consumer.info(false), options);
  const loop = (async () => {
    try {
      for await (const m of messages) {
        const parsed = parseEvent(m.data);
        if (!parsed.ok) {
          options.logger.warn({ subject: m.subject, reason: parsed.reason }, "invalid event skipped");
          continue;
        }
        try {
          await context.with(contextFromHeaders(m.headers), () => options.handler(parsed.event));
        } catch (e) {
          options.logger.error(
            { ...describeError(e), event_id: parsed.event.id, type: parsed.event.type },
            "broadcast handler failed",
          );
        }
      }
    } catch (e) {
      options.logger.error(
        { ...describeError(e), filter: options.filterSubject },
        "broadcast consumer stopped",
      );
    }
  })();
  let stopped = false;
  return {
    async stop() {
      if (!stopped) {
        stopped = true;
        gaps.stop();
        await messages.close();
      }
      await loop;
    },
  };
}

/**
 * Reports a gap when the client misses the server's heartbeats, then probes the consumer until
 * the server answers for it again (the ordered consumer recreates itself from the last sequence it
 * saw, so what was published meanwhile still arrives) and reports the feed resumed.
 */
function watchForGaps(
  messages: ConsumerMessages,
  probe: () => Promise<unknown>,
  options: Pick<BroadcastOptions, "onGap" | "onResumed">,
): { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const startProbing = (): void => {
    if (timer !== undefined || stopped) return;
    timer = setInterval(() => {
      probe().then(
        () => {
          if (timer === undefined) return;
          clearInterval(timer);
          timer = undefined;
          options.onResumed?.();
        },
        () => undefined,
      );
    }, PROBE_INTERVAL_MS);
  };
  if (options.onGap !== undefined) {
    void (async () => {
      for await (const status of await messages.status()) {
        if (status.type !== ConsumerEvents.HeartbeatsMissed) continue;
        options.onGap?.();
        startProbing();
      }
    })().catch(() => undefined);
  }
  return {
    stop() {
      stopped = true;
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
  };
}
