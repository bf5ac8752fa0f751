import * as grpc from "@grpc/grpc-js";
import type { GrpcCallObserver } from "@strata/grpc";
import { Counter, Histogram, type Registry } from "prom-client";

export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** strata_grpc_server_calls_total and strata_grpc_server_duration_seconds, per service and method. */
export class GrpcServerMetrics {
  readonly #calls: Counter<string>;
  readonly #durations: Histogram<string>;

  constructor(registry: Registry) {
    this.#calls = new Counter({
      name: "strata_grpc_server_calls_total",
      help: "gRPC calls answered, by method and status code (local in-process calls included)",
      labelNames: ["service", "grpc_service", "grpc_method", "code"],
      registers: [registry],
    });
    this.#durations = new Histogram({
      name: "strata_grpc_server_duration_seconds",
      help: "Time from receiving a gRPC call to answering it",
      labelNames: ["service", "grpc_service", "grpc_method"],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
  }

  observerFor(service: string): GrpcCallObserver {
    // Label objects built once per method and status: every call of the platform passes here.
    const methods = new Map<string, { readonly labels: Labels; readonly byCode: Map<number, Labels> }>();
    return {
      callFinished: (rpc, code, seconds) => {
        let method = methods.get(rpc);
        if (method === undefined) {
          const [grpcService = rpc, name = ""] = rpc.split("/");
          method = { labels: { service, grpc_service: grpcService, grpc_method: name }, byCode: new Map() };
          methods.set(rpc, method);
        }
        let labels = method.byCode.get(code);
        if (labels === undefined) {
          labels = { ...method.labels, code: grpc.status[code] ?? String(code) };
          method.byCode.set(code, labels);
        }
        this.#calls.inc(labels);
        this.#durations.observe(method.labels, seconds);
      },
    };
  }
}

/** service, grpc_service and grpc_method; and code for the call counter. */
type Labels = Readonly<Record<string, string>>;
