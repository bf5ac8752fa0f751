import * as grpc from "@grpc/grpc-js";
import { batchV1 } from "@strata/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backends, connectBackends } from "./backends.js";

/** A batch service that answers GetBatch after SLOW_MS, over real gRPC on loopback. */
const SLOW_MS = 300;
let server: grpc.Server;
let backends: Backends;

beforeAll(async () => {
  server = new grpc.Server();
  const slow: batchV1.BatchServiceServer = {
    createBatch: (_call, callback) => callback({ code: grpc.status.UNIMPLEMENTED }),
    getBatch: (call, callback) => {
      setTimeout(
        () => callback(null, { batch: batchV1.Batch.fromPartial({ batchId: call.request.batchId }) }),
        SLOW_MS,
      );
    },
  };
  server.addService(batchV1.BatchServiceService, slow);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  const address = `127.0.0.1:${port}`;
  backends = connectBackends({
    authGrpcAddress: address,
    namespaceGrpcAddress: address,
    aclQueryGrpcAddress: address,
    webhookGrpcAddress: address,
    tierMigratorGrpcAddress: address,
    manifestGrpcAddress: address,
    internalToken: "test-internal-token-0123456789abcdef",
    grpcDeadlineMs: SLOW_MS / 3,
  });
});

afterAll(async () => {
  backends?.close();
  await new Promise<void>((resolve) => server?.tryShutdown(() => resolve()));
});

describe("backend calls", () => {
  const getBatch = (options: { deadlineMs?: number }) =>
    backends.batch.getBatch({ namespaceId: "ns_1", batchId: "bat_1" }, { trace: undefined, ...options });

  it("give up after the configured deadline with a retryable unavailable", async () => {
    const answer = await getBatch({});
    expect(answer.ok).toBe(false);
    expect(answer.ok ? undefined : answer.error.kind).toBe("unavailable");
  });

  it("wait as long as a route's own deadline allows", async () => {
    const answer = await getBatch({ deadlineMs: SLOW_MS * 10 });
    expect(answer.ok ? answer.value.batch?.batchId : answer.error).toBe("bat_1");
  });
});
