import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";

/** Each dependency's state, by name ("nats", "store", "auth" …); ready when all are true. */
export type ReadinessChecks = () => Promise<Record<string, boolean>>;

export interface MetricsListenerOptions {
  readonly registry: Registry;
  readonly host: string;
  /** 0 picks a free port; read it back from `url`. */
  readonly port: number;
  /** Served as /readyz beside /metrics, for probes of processes without a public port. */
  readonly readiness?: ReadinessChecks;
}

export interface MetricsListener {
  /** http://host:port, without a path. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The operator's port: GET /metrics (Prometheus text format) and GET /readyz, apart from the public
 * API so that neither is reachable where the API is (loopback by default in the embedded mode).
 */
export async function startMetricsListener(options: MetricsListenerOptions): Promise<MetricsListener> {
  const server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    if (path === "/metrics") {
      options.registry.metrics().then(
        (text) => response.writeHead(200, { "content-type": options.registry.contentType }).end(text),
        (e: unknown) =>
          response
            .writeHead(500, { "content-type": "text/plain" })
            .end(`metrics collection failed: ${e instanceof Error ? e.message : String(e)}\n`),
      );
      return;
    }
    if (path === "/readyz" && options.readiness !== undefined) {
      options.readiness().then(
        (checks) => {
          const ready = Object.values(checks).every(Boolean);
          response
            .writeHead(ready ? 200 : 503, { "content-type": "application/json" })
            .end(JSON.stringify({ status: ready ? "ready" : "not_ready", checks }));
        },
        () => response.writeHead(503, { "content-type": "application/json" }).end('{"status":"not_ready"}'),
      );
      return;
    }
    response.writeHead(404, { "content-type": "text/plain" }).end("not found: try /metrics\n");
  });
  const address = await listen(server, options.host, options.port);
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once("error", (e) =>
      reject(
        new Error(`Cannot open the metrics listener (STRATA_METRICS_PORT) on ${host}:${port}: ${e.message}`),
      ),
    );
    server.listen(port, host, () => resolve(server.address() as AddressInfo));
  });
}
