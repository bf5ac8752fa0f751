import { readOutboxBacklog } from "@strata/bus";
import type { DocStoreSession } from "@strata/docstore";
import type { Registry } from "prom-client";
import { ScrapedGauge } from "./scraped-gauge.js";

/** What waits in each service's outbox, read from its store at scrape time. */
export class OutboxMetrics {
  readonly #rows: ScrapedGauge;
  readonly #oldestAge: ScrapedGauge;

  constructor(registry: Registry) {
    this.#rows = new ScrapedGauge(
      registry,
      "strata_outbox_backlog_rows",
      "Events committed to the service's outbox and not yet published to NATS",
      ["service"],
    );
    this.#oldestAge = new ScrapedGauge(
      registry,
      "strata_outbox_oldest_event_age_seconds",
      "Age of the oldest unpublished event in the outbox (0 when it is empty)",
      ["service"],
    );
  }

  /** Watches `store`'s outbox until the returned function is called. */
  watch(service: string, store: DocStoreSession): () => void {
    const unwatchRows = this.#rows.watch({ service }, async () => (await readOutboxBacklog(store)).rows);
    const unwatchAge = this.#oldestAge.watch({ service }, async () => {
      const { oldestCreatedAt } = await readOutboxBacklog(store);
      return oldestCreatedAt === undefined ? 0 : Math.max(0, (Date.now() - oldestCreatedAt.getTime()) / 1000);
    });
    return () => {
      unwatchRows();
      unwatchAge();
    };
  }
}
