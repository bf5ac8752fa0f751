import type { ConsumerObserver } from "@strata/bus";
import type { ConsumerInfo, JetStreamManager, NatsConnection } from "nats";
import { Counter, type Registry } from "prom-client";
import { ScrapedGauge } from "./scraped-gauge.js";

const SCRAPE_REUSE_MS = 1_000;

/**
 * Every durable consumer running in the process: how many messages wait for it, how many it holds
 * unacknowledged, how many were delivered more than once, read from JetStream at scrape time (the
 * server's view, shared by every replica), and how many this process dead-lettered.
 */
export class ConsumerMetrics {
  readonly #pending: ScrapedGauge;
  readonly #ackPending: ScrapedGauge;
  readonly #redelivered: ScrapedGauge;
  readonly #deadLettered: Counter<string>;

  constructor(registry: Registry) {
    const labels = ["service", "stream", "durable"];
    this.#pending = new ScrapedGauge(
      registry,
      "strata_consumer_pending_messages",
      "Messages on the stream not yet delivered to the durable consumer",
      labels,
    );
    this.#ackPending = new ScrapedGauge(
      registry,
      "strata_consumer_ack_pending_messages",
      "Messages delivered to the durable consumer and not yet acknowledged",
      labels,
    );
    this.#redelivered = new ScrapedGauge(
      registry,
      "strata_consumer_redelivered_messages",
      "Unacknowledged messages the durable consumer has had delivered more than once",
      labels,
    );
    this.#deadLettered = new Counter({
      name: "strata_consumer_dead_lettered_total",
      help: "Messages this process's durable consumers gave up on and sent to the dead-letter stream",
      labelNames: ["service", "durable"],
      registers: [registry],
    });
  }

  observerFor(service: string, nc: NatsConnection): ConsumerObserver {
    let jsm: Promise<JetStreamManager> | undefined;
    const unwatch = new Map<string, Array<() => void>>();
    // The three gauges of a durable read one consumer info per scrape, not three.
    const recent = new Map<string, { at: number; answer: Promise<ConsumerInfo | undefined> }>();
    const info = (stream: string, durable: string): Promise<ConsumerInfo | undefined> => {
      const cached = recent.get(durable);
      if (cached !== undefined && Date.now() - cached.at < SCRAPE_REUSE_MS) return cached.answer;
      const answer = (async () => {
        if (nc.isClosed()) return undefined;
        jsm ??= nc.jetstreamManager();
        return (await jsm).consumers.info(stream, durable);
      })();
      recent.set(durable, { at: Date.now(), answer });
      return answer;
    };
    return {
      consumerStarted: (stream, durable) => {
        const labels = { service, stream, durable };
        this.#deadLettered.inc({ service, durable }, 0);
        for (const stop of unwatch.get(durable) ?? []) stop();
        unwatch.set(durable, [
          this.#pending.watch(labels, async () => (await info(stream, durable))?.num_pending),
          this.#ackPending.watch(labels, async () => (await info(stream, durable))?.num_ack_pending),
          this.#redelivered.watch(labels, async () => (await info(stream, durable))?.num_redelivered),
        ]);
      },
      consumerStopped: (durable) => {
        for (const stop of unwatch.get(durable) ?? []) stop();
        unwatch.delete(durable);
        recent.delete(durable);
      },
      deadLettered: (durable) => this.#deadLettered.inc({ service, durable }),
    };
  }
}
