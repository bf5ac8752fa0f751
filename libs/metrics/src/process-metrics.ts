import type { ConsumerObserver } from "@strata/bus";
import type { DocStoreSession } from "@strata/docstore";
import type { GrpcCallObserver } from "@strata/grpc";
import type { NatsConnection } from "nats";
import { collectDefaultMetrics, Registry } from "prom-client";
import { type BatchChunkObserver, BatchMetrics } from "./batch-metrics.js";
import { ConsumerMetrics } from "./consumer-metrics.js";
import { GrpcServerMetrics } from "./grpc-metrics.js";
import { OutboxMetrics } from "./outbox-metrics.js";
import { type ReadValue, ScrapedGauge } from "./scraped-gauge.js";

/** One service's share of the process's metrics: what its start function hands to its parts. */
export interface ServiceMetrics {
  readonly service: string;
  /** The process's registry, for metrics only this service has (the gateway's HTTP figures). */
  readonly registry: Registry;
  /** For startGrpcServer's `callObserver`. */
  readonly grpc: GrpcCallObserver;
  /** For every consumer's `observer` (ConsumerSettings). */
  readonly consumers: ConsumerObserver;
  readonly batches: BatchChunkObserver;
  /** Reports the outbox of `store` until the returned function is called. */
  watchOutbox(store: DocStoreSession): () => void;
  /** Reports the hot index's vectors not yet in the graph until the returned function is called. */
  watchHotIndex(waitingForGraph: ReadValue): () => void;
}

/** The metrics of one process: one registry, every service's series labelled `service`. */
export interface ProcessMetrics {
  readonly registry: Registry;
  forService(service: string, nc: NatsConnection): ServiceMetrics;
}

/**
 * A registry per call, never prom-client's global one: tests start several platforms in one
 * process, and each must have its own series without "already registered" clashes. The embedded
 * mode makes one for all its services, so one scrape shows the whole process.
 */
export function createProcessMetrics(): ProcessMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const grpc = new GrpcServerMetrics(registry);
  const consumers = new ConsumerMetrics(registry);
  const outbox = new OutboxMetrics(registry);
  const batches = new BatchMetrics(registry);
  const hotIndex = new ScrapedGauge(
    registry,
    "strata_hotindex_unindexed_vectors",
    "Vectors in the hot index not yet in its graph (searched exactly until the graph catches up)",
    ["service"],
  );
  return {
    registry,
    forService(service, nc) {
      return {
        service,
        registry,
        grpc: grpc.observerFor(service),
        consumers: consumers.observerFor(service, nc),
        batches: batches.observerFor(service),
        watchOutbox: (store) => outbox.watch(service, store),
        watchHotIndex: (read) => hotIndex.watch({ service }, read),
      };
    },
  };
}
