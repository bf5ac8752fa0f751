/**
 * npm run bench:gateway — the gateway against the limits of its own design, measured in one run:
 *   (a) a bare node:http server answering a fixed JSON body,
 *   (b) a bare fastify route forwarding each request over one grpc-js unary call to an echo service
 *       (the ceiling of "gateway → gRPC service"; grpc-js client cost bounds it),
 *   (c) an authenticated GET /v1/api-keys/{id} through the real gateway (embedded platform: auth
 *       and namespace services in the same process, as `npm start` runs them): cached key
 *       verification, then exactly one call to auth per request — the route the ≥ 70% target
 *       is about. In one process that call goes to auth's handler without HTTP/2 (ADR 0010);
 *       STRATA_LOCAL_CALLS=false sends it over gRPC, as between containers,
 *   (c′) an authenticated GET /v1/namespaces/{id}: the gateway answers it from its namespace cache
 *       (invalidated by namespace events), so it makes no gRPC call at all,
 *   (d) (b) and (c) at a steady 1,000 requests/s from an open-loop generator, for tail latency.
 * Environment: BENCH_DURATION seconds per run (default 10), BENCH_CONNECTIONS (default 50).
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { startPlatform } from "@strata/platform";
import { namespaceV1 } from "@strata/proto";
import Fastify from "fastify";
import { type LoadResult, runLoad, runSteadyLoad, type SteadyResult } from "./autocannon-run.js";

const durationSeconds = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const FIXED_BODY = JSON.stringify({ namespace_id: "ns_bench", namespace_name: "bench", description: "" });

async function benchBareHttp(): Promise<[LoadResult, SteadyResult]> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(FIXED_BODY);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const url = `http://127.0.0.1:${port}/`;
    const max = await measure("(a) bare node:http", url);
    const steady = await runSteadyLoad({ label: "(a) at 1,000 req/s", url, rate: 1000, durationSeconds });
    return [max, steady];
  } finally {
    server.close();
  }
}

async function benchFastifyGrpcForward(): Promise<[LoadResult, SteadyResult]> {
  const grpcServer = new grpc.Server();
  grpcServer.addService(namespaceV1.NamespaceServiceService, {
    getNamespace: (
      call: grpc.ServerUnaryCall<namespaceV1.GetNamespaceRequest, namespaceV1.GetNamespaceResponse>,
      callback: grpc.sendUnaryData<namespaceV1.GetNamespaceResponse>,
    ) => {
      const now = new Date();
      callback(null, {
        namespace: {
          namespaceId: call.request.identifier,
          organizationId: "org_bench",
          namespaceName: "bench",
          description: "",
          createdAt: now,
          updatedAt: now,
        },
      });
    },
  } as unknown as grpc.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    grpcServer.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  const client = new namespaceV1.NamespaceServiceClient(
    `127.0.0.1:${port}`,
    grpc.credentials.createInsecure(),
  );
  const app = Fastify({ logger: false });
  app.get<{ Params: { id: string } }>("/v1/namespaces/:id", (request, reply) => {
    client.getNamespace({ identifier: request.params.id }, (error, response) => {
      if (error || !response.namespace) return reply.code(502).send({ error: "upstream" });
      const ns = response.namespace;
      return reply.send({
        namespace_id: ns.namespaceId,
        namespace_name: ns.namespaceName,
        description: ns.description,
        created_at: ns.createdAt?.toISOString(),
        updated_at: ns.updatedAt?.toISOString(),
      });
    });
  });
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  try {
    const target = `${url}/v1/namespaces/ns_bench`;
    const max = await measure("(b) fastify → grpc-js echo", target);
    const steady = await runSteadyLoad({
      label: "(b) at 1,000 req/s",
      url: target,
      rate: 1000,
      durationSeconds,
    });
    return [max, steady];
  } finally {
    await app.close();
    client.close();
    grpcServer.forceShutdown();
  }
}

interface GatewayFigures {
  oneHop: LoadResult;
  cached: LoadResult;
  oneHopSteady: SteadyResult;
  cachedSteady: SteadyResult;
}

async function benchGateway(): Promise<GatewayFigures> {
  const dataDir = await mkdtemp(join(tmpdir(), "strata-bench-"));
  const platform = await startPlatform({
    STRATA_DATA_DIR: dataDir,
    STRATA_HTTP_PORT: "0",
    STRATA_METRICS_PORT: "0",
    LOG_LEVEL: "warn",
    // The benchmark measures throughput, not the per-key limit.
    GATEWAY_RATE_LIMIT_MAX: "100000000",
    ...(process.env.STRATA_LOCAL_CALLS === undefined
      ? {}
      : { STRATA_LOCAL_CALLS: process.env.STRATA_LOCAL_CALLS }),
  });
  try {
    const bootstrapFile = platform.bootstrapFile ?? join(dataDir, "bootstrap.json");
    const { api_key: apiKey } = JSON.parse(await readFile(bootstrapFile, "utf8")) as { api_key: string };
    const headers = { authorization: `Bearer ${apiKey}`, "content-type": "application/json" };
    const created = await fetch(`${platform.gatewayUrl}/v1/namespaces`, {
      method: "POST",
      headers,
      body: JSON.stringify({ namespace_name: "bench" }),
    });
    if (created.status !== 201) throw new Error(`creating the namespace failed: ${created.status}`);
    const { namespace_id: namespaceId } = (await created.json()) as { namespace_id: string };
    const keys = (await (await fetch(`${platform.gatewayUrl}/v1/api-keys`, { headers })).json()) as {
      data: Array<{ key_id: string }>;
    };
    const keyId = keys.data[0]?.key_id;
    if (keyId === undefined) throw new Error("no API key to read back");
    const auth = { authorization: headers.authorization };
    const forwarded = `${platform.gatewayUrl}/v1/api-keys/${keyId}`;
    const cachedUrl = `${platform.gatewayUrl}/v1/namespaces/${namespaceId}`;
    const oneHop = await measure("(c) gateway GET /v1/api-keys/{id}", forwarded, auth);
    const cached = await measure("(c′) gateway GET /v1/namespaces/{id}", cachedUrl, auth);
    const oneHopSteady = await runSteadyLoad({
      label: "(c) at 1,000 req/s",
      url: forwarded,
      rate: 1000,
      durationSeconds,
      headers: auth,
    });
    const cachedSteady = await runSteadyLoad({
      label: "(c′) at 1,000 req/s",
      url: cachedUrl,
      rate: 1000,
      durationSeconds,
      headers: auth,
    });
    return { oneHop, cached, oneHopSteady, cachedSteady };
  } finally {
    await platform.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function measure(label: string, url: string, headers?: Record<string, string>): Promise<LoadResult> {
  // A short warm-up lets the JIT and connection pools settle before the measured run.
  await runLoad({ label, url, connections, durationSeconds: 2, ...(headers ? { headers } : {}) });
  return runLoad({ label, url, connections, durationSeconds, ...(headers ? { headers } : {}) });
}

function row(result: LoadResult): string {
  const rate = result.requestsPerSecond.toFixed(0).padStart(8);
  const failures = result.non2xx + result.errors;
  return `${result.label.padEnd(40)} ${rate} req/s   p50 ${String(result.p50Ms).padStart(4)} ms   p99 ${String(result.p99Ms).padStart(4)} ms   non-2xx/errors ${failures}`;
}

function steadyRow(result: SteadyResult): string {
  const failures = result.non2xx + result.errors + (result.sent - result.completed);
  return `${result.label.padEnd(40)} ${String(result.completed).padStart(6)} answered   p50 ${result.p50Ms} ms   p90 ${result.p90Ms} ms   p99 ${result.p99Ms} ms   max ${result.maxMs} ms   failed ${failures}`;
}

const cpu = cpus()[0]?.model ?? "unknown CPU";
console.log(
  `machine: ${cpus().length} × ${cpu}, Node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
console.log(`autocannon: ${connections} connections, ${durationSeconds} s per run, separate process\n`);
const [bare, bareSteady] = await benchBareHttp();
console.log(row(bare));
const [forward, forwardSteady] = await benchFastifyGrpcForward();
console.log(row(forward));
const gateway = await benchGateway();
console.log(row(gateway.oneHop));
console.log(row(gateway.cached));
console.log("\nopen loop at 1,000 req/s (latency counted from each request's due time):");
for (const result of [bareSteady, forwardSteady, gateway.oneHopSteady, gateway.cachedSteady])
  console.log(steadyRow(result));
console.log("");
const percent = (a: number, b: number): string => `${((a / b) * 100).toFixed(0)}%`;
console.log(
  `(c) / (b), one call to a service:  ${percent(gateway.oneHop.requestsPerSecond, forward.requestsPerSecond)} (target ≥ 70%)`,
);
console.log(
  `(c′) / (b), served from cache:    ${percent(gateway.cached.requestsPerSecond, forward.requestsPerSecond)}`,
);
console.log(
  `(c) / (a), bare node:http:        ${percent(gateway.oneHop.requestsPerSecond, bare.requestsPerSecond)}`,
);
console.log(
  `p99 at 1,000 req/s:               (c) ${gateway.oneHopSteady.p99Ms} ms, (c′) ${gateway.cachedSteady.p99Ms} ms (target ≤ 10 ms; (a) ${bareSteady.p99Ms} ms, (b) ${forwardSteady.p99Ms} ms)`,
);
