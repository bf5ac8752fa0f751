import type { DocStore } from "@strata/docstore";
import type { JetStreamClient, NatsConnection } from "nats";
import { type Backoff, backoffDelay } from "./backoff.js";
import { type BusLogger, describeError } from "./bus-logger.js";
import { OUTBOX_TABLE, type OutboxRecord } from "./outbox.js";
import { tracePublish } from "./relay-tracing.js";

export interface OutboxRelayOptions {
  readonly store: DocStore;
  readonly nc: NatsConnection;
  readonly logger: BusLogger;
  /** How often to look for rows nobody announced (another instance's, or left by a crash); default 1 s. */
  readonly pollIntervalMs?: number;
  /** Rows read and published (all in flight at once) per round; default 256. */
  readonly batchSize?: number;
  /** How long to wait for one publish ack; default 5 s. */
  readonly publishTimeoutMs?: number;
  /** Backoff after a failed round: doubles from `initialMs` up to `maxMs`; default 100 ms → 5 s. */
  readonly retryBackoff?: Backoff;
  /** How long `stop()` keeps publishing what is pending before it gives up; default 5 s. */
  readonly drainTimeoutMs?: number;
}

type Round = "drained" | "more" | "failed";

/**
 * Publishes outbox rows to JetStream in append order and deletes them once acknowledged.
 *
 * Rows are deleted only after their ack, so a crash at any point leaves them to be published
 * again; the event id is the `Nats-Msg-Id`, so the stream drops the copy (within its duplicate
 * window). Several relays on one store therefore need no coordination. Publishes in a round are
 * pipelined: waiting for each ack in turn caps the rate at about a quarter.
 */
export class OutboxRelay {
  readonly #options: OutboxRelayOptions;
  readonly #js: JetStreamClient;
  readonly #encoder = new TextEncoder();
  #loop: Promise<void> | undefined;
  #stopping = false;
  #woken = false;
  #wake: (() => void) | undefined;

  constructor(options: OutboxRelayOptions) {
    this.#options = options;
    this.#js = options.nc.jetstream();
  }

  /** Starts the publishing loop; it first sends whatever is already pending. */
  start(): void {
    if (this.#loop !== undefined) return;
    this.#stopping = false;
    this.#loop = this.#run();
  }

  /** Call after a transaction that appended events commits, to publish them now. */
  notify(): void {
    this.#woken = true;
    this.#wake?.();
  }

  /** Publishes what is pending (up to the drain timeout), then stops. Unsent rows stay for the next start. */
  async stop(): Promise<void> {
    if (this.#loop === undefined) return;
    this.#stopping = true;
    this.#wake?.();
    await this.#loop;
    this.#loop = undefined;
  }

  async #run(): Promise<void> {
    const pollMs = this.#options.pollIntervalMs ?? 1000;
    const backoff = this.#options.retryBackoff ?? { initialMs: 100, maxMs: 5000 };
    const drainMs = this.#options.drainTimeoutMs ?? 5000;
    let failures = 0;
    let drainDeadline = Number.POSITIVE_INFINITY;
    for (;;) {
      if (this.#stopping && drainDeadline === Number.POSITIVE_INFINITY) drainDeadline = Date.now() + drainMs;
      if (Date.now() > drainDeadline) {
        this.#options.logger.warn({}, "outbox relay stopped before the outbox was empty");
        return;
      }
      const round = await this.#round();
      if (round === "failed") {
        // While stopping, give up at once: the rows are safe in the store for the next start.
        if (this.#stopping) return;
        failures += 1;
        await this.#sleep(backoffDelay(failures, backoff));
        continue;
      }
      failures = 0;
      if (round === "more") continue;
      if (this.#stopping) return;
      await this.#sleep(pollMs);
    }
  }

  /** Publishes one batch and deletes the rows the stream acknowledged. */
  async #round(): Promise<Round> {
    const batchSize = this.#options.batchSize ?? 256;
    const table = this.#options.store.table<OutboxRecord>(OUTBOX_TABLE);
    // Cleared before reading: a notify() that arrives from here on forces another round.
    this.#woken = false;
    try {
      const rows = await table.find({ orderBy: [{ field: "seq", direction: "asc" }], limit: batchSize });
      if (rows.length === 0) return "drained";
      const timeout = this.#options.publishTimeoutMs ?? 5000;
      const acks = await Promise.allSettled(
        rows.map(async ({ record }) => {
          const traced = tracePublish(record);
          try {
            const ack = await this.#js.publish(record.subject, this.#encoder.encode(record.envelope), {
              msgID: record.id,
              ...(traced.headers === undefined ? {} : { headers: traced.headers }),
              timeout,
            });
            traced.end();
            return ack;
          } catch (e) {
            traced.end(e);
            throw e;
          }
        }),
      );
      const published: string[] = [];
      let firstFailure: unknown;
      acks.forEach((ack, i) => {
        const row = rows[i];
        if (row === undefined) return;
        if (ack.status === "fulfilled") published.push(row.record.id);
        else firstFailure ??= ack.reason;
      });
      if (published.length > 0) await table.deleteMany({ id: { $in: published } });
      if (firstFailure !== undefined) {
        this.#options.logger.warn(
          {
            ...describeError(firstFailure),
            failed: rows.length - published.length,
            published: published.length,
          },
          "outbox publish failed; retrying",
        );
        return "failed";
      }
      return rows.length < batchSize ? "drained" : "more";
    } catch (e) {
      this.#options.logger.error(describeError(e), "outbox relay round failed; retrying");
      return "failed";
    }
  }

  /** Waits `ms`, or less when notify() or stop() is called. */
  #sleep(ms: number): Promise<void> {
    if (this.#woken || this.#stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = undefined;
        done();
      };
    });
  }
}
