import { describe, expect, it } from "vitest";
import { runningGrpcService } from "./service-start.js";

describe("runningGrpcService", () => {
  it("answers the server's address and the runtime's readiness, and runs the stop steps once", async () => {
    let stops = 0;
    const running = runningGrpcService({
      name: "example",
      server: { address: "127.0.0.1:5000" },
      runtime: { ready: async () => true, readiness: async () => ({ nats: true, store: false }) },
      stop: async () => {
        stops += 1;
      },
    });
    expect(running.name).toBe("example");
    expect(running.grpcAddress).toBe("127.0.0.1:5000");
    expect(await running.ready()).toBe(true);
    expect(await running.readiness?.()).toEqual({ nats: true, store: false });
    const first = running.stop();
    expect(running.stop()).toBe(first);
    await first;
    await running.stop();
    expect(stops).toBe(1);
  });
});
