import type { FastifyInstance } from "fastify";
import { Counter, Histogram, Registry } from "prom-client";
import type { AuthCacheResult } from "../auth/api-key-verifier.js";

export interface GatewayMetrics {
  readonly registry: Registry;
  countAuthLookup(result: AuthCacheResult): void;
}

/**
 * The gateway's metrics in `registry`: the process's (the launcher's, with every service's metrics
 * and the process figures, served on STRATA_METRICS_PORT), or a registry of its own. Never
 * prom-client's global one, so tests can run several gateways in one process without "metric
 * already registered" clashes.
 */
export function createGatewayMetrics(registry: Registry = new Registry()): GatewayMetrics & {
  requests: Counter<string>;
  durations: Histogram<string>;
} {
  const labelNames = ["method", "route", "status"] as const;
  const requests = new Counter({
    name: "strata_http_requests_total",
    help: "HTTP requests answered by the gateway",
    labelNames,
    registers: [registry],
  });
  const durations = new Histogram({
    name: "strata_http_request_duration_seconds",
    help: "Time from receiving a request to finishing its answer",
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const authCache = new Counter({
    name: "strata_auth_cache_total",
    help: "API key verifications by cache outcome (hit, miss, negative_hit, malformed)",
    labelNames: ["result"] as const,
    registers: [registry],
  });
  return {
    registry,
    requests,
    durations,
    countAuthLookup: (result) => authCache.inc({ result }),
  };
}

/** Counts and times every answer, labelled by the route pattern (never the raw URL: ids would explode the series). */
export function installRequestMetrics(
  app: FastifyInstance,
  metrics: { requests: Counter<string>; durations: Histogram<string> },
): void {
  app.addHook("onResponse", async (request, reply) => {
    const labels = {
      method: request.method,
      route: request.is404 ? "unmatched" : (request.routeOptions.url ?? "unmatched"),
      status: String(reply.statusCode),
    };
    metrics.requests.inc(labels);
    metrics.durations.observe(labels, reply.elapsedTime / 1000);
  });
}
