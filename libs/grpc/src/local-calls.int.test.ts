import * as grpc from "@grpc/grpc-js";
import { ERROR_KINDS } from "@strata/errors";
import { authV1 } from "@strata/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callUnary, clientInterceptors, createChannelOptions } from "./client.js";
import { MAX_MESSAGE_BYTES } from "./limits.js";
import { LocalServices } from "./local-calls.js";
import { closedPort, type Fixture, sampleError, startFixture, TOKEN } from "./test-fixture.js";

// Calls to a server of this process, answered without the network. The client's own channel
// points at a closed port, so a call that went over gRPC would fail: each passing call here
// was answered in-process, with what the wire would have given (server.int.test.ts).
// The registry is this file's own, as the launcher's is its process's: nothing global to enable.
const localCalls = new LocalServices();
let fixture: Fixture;
let client: authV1.AuthServiceClient;
let overNetwork: authV1.AuthServiceClient;
let deadChannel: grpc.Channel;

beforeAll(async () => {
  fixture = await startFixture({ localCalls });
  deadChannel = new grpc.Channel(`127.0.0.1:${await closedPort()}`, grpc.credentials.createInsecure(), {});
  client = new authV1.AuthServiceClient(fixture.server.address, grpc.credentials.createInsecure(), {
    interceptors: clientInterceptors({ internalToken: TOKEN, target: fixture.server.address, localCalls }),
    channelOverride: deadChannel,
  });
  // The same dead channel without the target: proves the channel is indeed unusable.
  overNetwork = new authV1.AuthServiceClient(fixture.server.address, grpc.credentials.createInsecure(), {
    interceptors: clientInterceptors({ internalToken: TOKEN }),
    ...createChannelOptions(),
    channelOverride: deadChannel,
  });
});
afterAll(async () => {
  client.close();
  overNetwork.close();
  await fixture.close();
});

const verify = (c: authV1.AuthServiceClient, secret: string, deadlineMs = 2_000) =>
  callUnary(c.verifyKey.bind(c), { secret }, { deadlineMs });

describe("local unary calls", () => {
  it("answer without the network, which the same call over the dead channel cannot", async () => {
    expect(await verify(client, "fine")).toMatchObject({ ok: true, value: { valid: true } });
    expect(await verify(overNetwork, "fine", 500)).toMatchObject({
      ok: false,
      error: { kind: "unavailable" },
    });
  });

  it("reach only the servers of the client's own registry", async () => {
    const stranger = new authV1.AuthServiceClient(fixture.server.address, grpc.credentials.createInsecure(), {
      interceptors: clientInterceptors({
        internalToken: TOKEN,
        target: fixture.server.address,
        localCalls: new LocalServices(),
      }),
      channelOverride: deadChannel,
    });
    const result = await verify(stranger, "fine", 500);
    stranger.close();
    expect(result).toMatchObject({ ok: false, error: { kind: "unavailable" } });
  });

  it.each(ERROR_KINDS)("restore a %s error unchanged", async (kind) => {
    expect(await verify(client, `kind:${kind}`)).toEqual({ ok: false, error: sampleError(kind) });
  });

  it("carry the caller to the handler, and refuse a caller-less call to a handler that needs one", async () => {
    const caller = {
      organizationId: "org_1",
      keyId: "key_42",
      permissions: ["read" as const],
      namespaces: ["ns_a"],
      roles: ["analyst"],
      attributes: { level: 3 },
    };
    const withCaller = await callUnary(client.getKey.bind(client), { keyId: "asked" }, { caller });
    expect(withCaller).toMatchObject({
      ok: true,
      value: { key: { keyId: "key_42", organizationId: "org_1", name: "asked", namespaces: ["ns_a"] } },
    });
    const without = await callUnary(client.getKey.bind(client), { keyId: "asked" });
    expect(without).toMatchObject({ ok: false, error: { kind: "unauthorized" } });
  });

  it("go through the server's internal-token check", async () => {
    const noToken = new authV1.AuthServiceClient(fixture.server.address, grpc.credentials.createInsecure(), {
      interceptors: clientInterceptors({
        internalToken: "not-the-token",
        target: fixture.server.address,
        localCalls,
      }),
    });
    const result = await verify(noToken, "fine");
    noToken.close();
    expect(result).toMatchObject({ ok: false, error: { kind: "internal" } });
  });

  it("answer a throwing handler INTERNAL without its message, logged on the server side", async () => {
    const result = await callUnary(
      client.createKey.bind(client),
      authV1.CreateKeyRequest.fromPartial({ name: "sync-throw" }),
    );
    expect(result).toEqual({ ok: false, error: { kind: "internal", message: "Internal error" } });
    expect(fixture.logLines.some((line) => line.includes("sync boom"))).toBe(true);
  });

  it("end at the deadline and abort the handler's signal", async () => {
    fixture.aborted.value = false;
    const started = Date.now();
    const result = await verify(client, "slow", 100);
    expect(result).toMatchObject({ ok: false, error: { kind: "unavailable" } });
    expect(Date.now() - started).toBeLessThan(1_500);
    await expect.poll(() => fixture.aborted.value).toBe(true);
  });

  it("take what gRPC takes, and refuse what it refuses by size", async () => {
    expect((await verify(client, "x".repeat(6 * 1024 * 1024))).ok).toBe(true);
    const tooBig = await verify(client, "x".repeat(MAX_MESSAGE_BYTES + 1));
    expect(tooBig.ok).toBe(false);
  });

  it("hand the handler a decoded copy, not the caller's object", async () => {
    const request = authV1.ListKeysRequest.fromPartial({});
    const answered = await callUnary(client.listKeys.bind(client), request);
    // The fixture's listKeys reads `this`; proto3 defaults come back filled as over the wire.
    expect(answered).toMatchObject({ ok: true, value: { nextCursor: "function", keys: [] } });
  });
});
