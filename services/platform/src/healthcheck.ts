// A container healthcheck with no extra binaries in the image:
//   tsx services/platform/src/healthcheck.ts http://127.0.0.1:8080/healthz
//   tsx services/platform/src/healthcheck.ts grpc://127.0.0.1:50051
// Exit 0 when the target answers healthy (HTTP 2xx; grpc.health.v1 SERVING for the server as a
// whole), 1 otherwise. Kubernetes uses its native httpGet/grpc probes instead.
import * as grpc from "@grpc/grpc-js";

const TIMEOUT_MS = 3_000;
// grpc.health.v1.HealthCheckResponse: field 1 (status) as a varint; 1 = SERVING.
const SERVING_RESPONSE = Buffer.from([0x08, 0x01]);

export async function checkHttp(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    return response.ok;
  } catch {
    return false;
  }
}

/** Calls grpc.health.v1.Health/Check for the server as a whole (empty service name). */
export function checkGrpc(address: string): Promise<boolean> {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  return new Promise<boolean>((resolve) => {
    client.makeUnaryRequest(
      "/grpc.health.v1.Health/Check",
      // An empty HealthCheckRequest (service "") encodes to zero bytes.
      () => Buffer.alloc(0),
      (bytes: Buffer) => bytes,
      {},
      { deadline: Date.now() + TIMEOUT_MS },
      (error, response) => resolve(error === null && response?.equals(SERVING_RESPONSE) === true),
    );
  }).finally(() => client.close());
}

async function main(targets: readonly string[]): Promise<number> {
  if (targets.length === 0) {
    process.stderr.write("usage: healthcheck.ts <http://host:port/path | grpc://host:port> ...\n");
    return 2;
  }
  for (const target of targets) {
    const healthy = target.startsWith("grpc://")
      ? await checkGrpc(target.slice("grpc://".length))
      : await checkHttp(target);
    if (!healthy) {
      process.stderr.write(`unhealthy: ${target}\n`);
      return 1;
    }
  }
  return 0;
}

// Run only as a script: the test imports the functions.
if (process.argv[1]?.endsWith("healthcheck.ts")) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
