export type { BatchChunkObserver } from "./batch-metrics.js";
export type { MetricsListener, MetricsListenerOptions, ReadinessChecks } from "./metrics-listener.js";
export { startMetricsListener } from "./metrics-listener.js";
export type { ProcessMetrics, ServiceMetrics } from "./process-metrics.js";
export { createProcessMetrics } from "./process-metrics.js";
export type { ReadValue } from "./scraped-gauge.js";
