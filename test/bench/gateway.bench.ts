/**
 * npm run bench:gateway — the gateway against the limits of its own design, measured in one run:
 *   (a) a bare node:http server answering a fixed JSON body,
 *   (b) a bare fastify route forwarding each request over one grpc-js unary call to an echo service
 *       (the ceiling of "gateway → gRPC service"; grpc-js client cost bounds it),
 *   (c) an authenticated GET /v1/namespaces/{id} through the real gateway (embedded platform:
 *       auth and namespace services in the same process, as `npm start` runs them),
 *   (d) the same as (c) at a steady 1,000 requests/s, for tail latency.
 * Environment: BENCH_DURATION seconds per run (default 10), BENCH_CONNECTIONS (default 50).
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { startPlatform } from "@strata/platform";
import { namespaceV1 } from "@strata/proto";
import Fastify from "fastify";
import { type LoadResult, runLoad } from "./autocannon-run.js";

const durationSeconds = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const FIXED_BODY = JSON.stringify({ namespace_id: "ns_bench", namespace_name: "bench", description: "" });

async function benchBareHttp(): Promise<LoadResult> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(FIXED_BODY);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  try {
    return await measure("(a) bare node:http", `http://127.0.0.1:${port}/`);
  } finally {
    server.close();
  }
}

async function benchFastifyGrpcForward(): Promise<LoadResult> {
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
    return await measure("(b) fastify → grpc-js echo", `${url}/v1/namespaces/ns_bench`);
  } finally {
    await app.close();
    client.close();
    grpcServer.forceShutdown();
  }
}

async function benchGateway(): Promise<[LoadResult, LoadResult]> {
  const dataDir = await mkdtemp(join(tmpdir(), "strata-bench-"));
  const platform = await startPlatform({
    STRATA_DATA_DIR: dataDir,
    STRATA_HTTP_PORT: "0",
    LOG_LEVEL: "warn",
    // The benchmark measures throughput, not the per-key limit.
    GATEWAY_RATE_LIMIT_MAX: "1000000000",
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
    const url = `${platform.gatewayUrl}/v1/namespaces/${namespaceId}`;
    const max = await measure("(c) gateway GET /v1/namespaces/{id}", url, {
      authorization: headers.authorization,
    });
    const steady = await runLoad({
      label: "(d) gateway at a steady 1,000 req/s",
      url,
      connections,
      durationSeconds,
      headers: { authorization: headers.authorization },
      overallRate: 1000,
    });
    return [max, steady];
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

const cpu = cpus()[0]?.model ?? "unknown CPU";
console.log(`machine: ${cpus().length} × ${cpu}, Node ${process.version}`);
console.log(`autocannon: ${connections} connections, ${durationSeconds} s per run, separate process\n`);
const bare = await benchBareHttp();
console.log(row(bare));
const forward = await benchFastifyGrpcForward();
console.log(row(forward));
const [gateway, steady] = await benchGateway();
console.log(row(gateway));
console.log(row(steady));
console.log("");
console.log(
  `gateway / fastify→gRPC forward: ${((gateway.requestsPerSecond / forward.requestsPerSecond) * 100).toFixed(0)}% (target ≥ 70%)`,
);
console.log(
  `gateway / bare node:http:       ${((gateway.requestsPerSecond / bare.requestsPerSecond) * 100).toFixed(0)}%`,
);
console.log(`p99 at 1,000 req/s:             ${steady.p99Ms} ms (target ≤ 10 ms)`);
