import { Counter, Histogram, type Registry } from "prom-client";
import { LATENCY_BUCKETS } from "./grpc-metrics.js";

/** What the batch worker reports per chunk it writes. */
export interface BatchChunkObserver {
  chunkWritten(documents: { succeeded: number; failed: number }, seconds: number): void;
}

/** Batch documents written (rate() gives documents/s) and the time each chunk takes. */
export class BatchMetrics {
  readonly #documents: Counter<string>;
  readonly #chunkDurations: Histogram<string>;

  constructor(registry: Registry) {
    this.#documents = new Counter({
      name: "strata_batch_documents_total",
      help: "Batch items the batch worker processed, by outcome (rate() gives documents per second)",
      labelNames: ["service", "outcome"],
      registers: [registry],
    });
    this.#chunkDurations = new Histogram({
      name: "strata_batch_chunk_duration_seconds",
      help: "Time the batch worker took to write one chunk (its transaction and vectors)",
      labelNames: ["service"],
      buckets: [...LATENCY_BUCKETS, 30, 60],
      registers: [registry],
    });
  }

  observerFor(service: string): BatchChunkObserver {
    this.#documents.inc({ service, outcome: "succeeded" }, 0);
    this.#documents.inc({ service, outcome: "failed" }, 0);
    return {
      chunkWritten: ({ succeeded, failed }, seconds) => {
        this.#documents.inc({ service, outcome: "succeeded" }, succeeded);
        this.#documents.inc({ service, outcome: "failed" }, failed);
        this.#chunkDurations.observe({ service }, seconds);
      },
    };
  }
}
