import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startGrpcServer } from "@strata/grpc";
import { createLogger } from "@strata/logger";
import { afterEach, describe, expect, it } from "vitest";
import { checkGrpc, checkHttp } from "./healthcheck.js";

describe("healthcheck", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function httpServer(status: number): Promise<string> {
    const server: Server = createServer((_req, res) => res.writeHead(status).end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`;
  }

  it("passes on HTTP 2xx and fails otherwise", async () => {
    expect(await checkHttp(await httpServer(200))).toBe(true);
    expect(await checkHttp(await httpServer(503))).toBe(false);
    expect(await checkHttp("http://127.0.0.1:1/healthz")).toBe(false);
  });

  it("follows grpc.health.v1: healthy only while the server says SERVING", async () => {
    const server = await startGrpcServer({
      serviceName: "probe-test",
      host: "127.0.0.1",
      port: 0,
      internalToken: "x".repeat(32),
      services: [],
      logger: createLogger({ service: "probe-test", level: "silent" }),
    });
    cleanups.push(() => server.shutdown(0));
    server.setServing(true);
    expect(await checkGrpc(server.address)).toBe(true);
    server.setServing(false);
    expect(await checkGrpc(server.address)).toBe(false);
    expect(await checkGrpc("127.0.0.1:1")).toBe(false);
  });
});
