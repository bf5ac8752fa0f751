import { context } from "@opentelemetry/api";
import { type AnyEventEnvelope, EVENTS_STREAM, parseEvent } from "@strata/events";
import { DeliverPolicy, type NatsConnection } from "nats";
import { type BusLogger, describeError } from "./bus-logger.js";
import { logConsumerStatus } from "./consumer-status.js";
import { contextFromHeaders } from "./trace-headers.js";

export interface BroadcastOptions {
  readonly nc: NatsConnection;
  /** One subject filter on STRATA_EVENTS, e.g. `subjectFilterFor("api_key.revoked")`. */
  readonly filterSubject: string;
  readonly handler: (event: AnyEventEnvelope) => void | Promise<void>;
  readonly logger: BusLogger;
}

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
  const messages = await consumer.consume();
  logConsumerStatus(messages, options.logger, `broadcast ${options.filterSubject}`);
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
        await messages.close();
      }
      await loop;
    },
  };
}
