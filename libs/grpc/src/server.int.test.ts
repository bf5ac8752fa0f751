import * as grpc from "@grpc/grpc-js";
import type { Caller } from "@strata/access";
import { ERROR_KINDS } from "@strata/errors";
import { authV1 } from "@strata/proto";
import { service as healthService } from "grpc-health-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callUnary, clientInterceptors } from "./client.js";
import { ERROR_METADATA_KEY, fromGrpcError } from "./error-mapping.js";
import {
  closedPort,
  type Fixture,
  LEAKED_SECRET,
  SERVICE,
  sampleError,
  startFixture,
  TOKEN,
} from "./test-fixture.js";

let fixture: Fixture;
beforeAll(async () => {
  fixture = await startFixture();
});
afterAll(async () => {
  await fixture.close();
});

const caller: Caller = {
  organizationId: "org_1",
  keyId: "key_42",
  permissions: ["read", "write"],
  namespaces: ["ns_a", "ns_b"],
  principalId: "user_7",
  roles: ["analyst"],
  attributes: { department: "finance", level: 3 },
};

function verify(client: authV1.AuthServiceClient, secret: string, deadlineMs?: number) {
  return callUnary(client.verifyKey.bind(client), { secret }, deadlineMs === undefined ? {} : { deadlineMs });
}

/** A raw call with chosen metadata and no interceptors, to see the wire status itself. */
function rawVerify(metadata: grpc.Metadata): Promise<grpc.ServiceError | null> {
  const client = new authV1.AuthServiceClient(fixture.server.address, grpc.credentials.createInsecure());
  return new Promise((resolve) => {
    client.verifyKey({ secret: "fine" }, metadata, (error) => {
      client.close();
      resolve(error);
    });
  });
}

describe("internal token", () => {
  it("accepts a call carrying the right token", async () => {
    const result = await verify(fixture.client, "fine");
    expect(result).toMatchObject({ ok: true, value: { valid: true } });
  });

  it.each([
    ["no token", undefined],
    ["a wrong token of the same length", "X".repeat(TOKEN.length)],
    ["a shorter token", "internal"],
    ["a longer token", `${TOKEN}-and-more`],
    ["an empty token", ""],
  ])("rejects %s with UNAUTHENTICATED", async (_name, token) => {
    const metadata = new grpc.Metadata();
    if (token !== undefined) metadata.set("x-strata-internal-token", token);
    const error = await rawVerify(metadata);
    expect(error?.code).toBe(grpc.status.UNAUTHENTICATED);
    // For the API user this is our misconfiguration: never a 4xx.
    expect(fromGrpcError(error).kind).toBe("internal");
  });

  it("rejects a call repeating the token entry", async () => {
    const metadata = new grpc.Metadata();
    metadata.add("x-strata-internal-token", TOKEN);
    metadata.add("x-strata-internal-token", TOKEN);
    expect((await rawVerify(metadata))?.code).toBe(grpc.status.UNAUTHENTICATED);
  });

  it("does not log the token it rejected", async () => {
    const metadata = new grpc.Metadata();
    metadata.set("x-strata-internal-token", "wrong-token-value-123");
    await rawVerify(metadata);
    const output = fixture.logLines.join("");
    expect(output).toContain("internal token");
    expect(output).not.toContain("wrong-token-value-123");
  });
});

describe("AppError round trip", () => {
  it.each(ERROR_KINDS)("restores a %s error unchanged", async (kind) => {
    const result = await verify(fixture.client, `kind:${kind}`);
    expect(result).toEqual({ ok: false, error: sampleError(kind) });
  });

  it("sends the mapped status code with the error entry", async () => {
    const metadata = new grpc.Metadata();
    metadata.set("x-strata-internal-token", TOKEN);
    const client = new authV1.AuthServiceClient(fixture.server.address, grpc.credentials.createInsecure());
    const error = await new Promise<grpc.ServiceError | null>((resolve) =>
      client.verifyKey({ secret: "kind:not_found" }, metadata, (e) => resolve(e)),
    );
    client.close();
    expect(error?.code).toBe(grpc.status.NOT_FOUND);
    expect(error?.metadata.get(ERROR_METADATA_KEY)).toHaveLength(1);
  });
});

describe("handler exceptions", () => {
  it("answer INTERNAL without the message or stack, and are logged server-side without secrets", async () => {
    const client = new authV1.AuthServiceClient(fixture.server.address, grpc.credentials.createInsecure(), {
      interceptors: clientInterceptors({ internalToken: TOKEN }),
    });
    const error = await new Promise<grpc.ServiceError | null>((resolve) =>
      client.verifyKey({ secret: "throw" }, (e) => resolve(e)),
    );
    client.close();
    expect(error?.code).toBe(grpc.status.INTERNAL);
    expect(error?.details).toBe("Internal error");
    const everythingSent = JSON.stringify({
      details: error?.details,
      metadata: error?.metadata.toJSON(),
      entry: error?.metadata.get(ERROR_METADATA_KEY).map(String),
    });
    expect(everythingSent).not.toContain("boom");
    expect(everythingSent).not.toContain("test-fixture");
    expect(fromGrpcError(error)).toEqual({ kind: "internal", message: "Internal error" });

    const logged = fixture.logLines.find((line) => line.includes("boom while checking"));
    expect(logged).toBeDefined();
    expect(logged).toContain("test-fixture"); // the stack
    expect(fixture.logLines.join("")).not.toContain(LEAKED_SECRET);
    expect(fixture.logLines.join("")).not.toContain("4Fq9");
  });
});

describe("raw handlers", () => {
  it("a synchronous throw answers INTERNAL without the message and the server keeps serving", async () => {
    const create = (name: string) =>
      callUnary(fixture.client.createKey.bind(fixture.client), authV1.CreateKeyRequest.fromPartial({ name }));
    expect(await create("sync-throw")).toEqual({
      ok: false,
      error: { kind: "internal", message: "Internal error" },
    });
    expect(await create("fine")).toMatchObject({ ok: true, value: { secret: "created" } });
    expect(fixture.logLines.some((line) => line.includes("sync boom"))).toBe(true);
  });

  it("run with the implementation as `this`", async () => {
    const result = await callUnary(
      fixture.client.listKeys.bind(fixture.client),
      authV1.ListKeysRequest.fromPartial({}),
    );
    expect(result).toMatchObject({ ok: true, value: { nextCursor: "function" } });
  });
});

describe("caller metadata", () => {
  it("reaches the handler intact", async () => {
    const result = await callUnary(
      fixture.client.getKey.bind(fixture.client),
      { keyId: "asked" },
      { caller },
    );
    if (!result.ok) throw new Error(`call failed: ${result.error.message}`);
    expect(result.value.key).toMatchObject({
      keyId: "key_42",
      organizationId: "org_1",
      name: "asked",
      namespaces: ["ns_a", "ns_b"],
      principalId: "user_7",
      roles: ["analyst"],
      attributes: { department: "finance", level: 3 },
    });
  });

  it("is required by unaryWithCaller handlers", async () => {
    const result = await callUnary(fixture.client.getKey.bind(fixture.client), { keyId: "asked" });
    expect(result).toMatchObject({ ok: false, error: { kind: "unauthorized" } });
  });
});

describe("message size", () => {
  it("carries requests past grpc-js's 4 MiB default (large document batches)", async () => {
    const result = await verify(fixture.client, "x".repeat(6 * 1024 * 1024));
    expect(result.ok).toBe(true);
  });
});

describe("infrastructure failures", () => {
  it("a closed port gives kind unavailable naming the service", async () => {
    const port = await closedPort();
    const client = new authV1.AuthServiceClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      interceptors: clientInterceptors({ internalToken: TOKEN }),
    });
    const result = await verify(client, "fine", 2_000);
    client.close();
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe("unavailable");
    expect(result.error.message).toContain(SERVICE);
  });

  it("a passed deadline gives kind unavailable and aborts the handler's signal", async () => {
    const result = await verify(fixture.client, "slow", 100);
    expect(result).toMatchObject({ ok: false, error: { kind: "unavailable" } });
    await expect.poll(() => fixture.aborted.value).toBe(true);
  });
});

describe("health", () => {
  const HealthClient = grpc.makeGenericClientConstructor(
    healthService as unknown as grpc.ServiceDefinition,
    "grpc.health.v1.Health",
  );

  function check(address: string, name: string): Promise<{ status?: string; code?: number }> {
    const client = new HealthClient(address, grpc.credentials.createInsecure());
    return new Promise((resolve) => {
      // No internal token: probes and load balancers have none.
      const typed = client as unknown as {
        check(
          request: { service: string },
          callback: (error: grpc.ServiceError | null, response?: { status: string }) => void,
        ): void;
      };
      typed.check({ service: name }, (error, response) => {
        client.close();
        resolve(error ? { code: error.code } : { status: response?.status ?? "" });
      });
    });
  }

  it("answers SERVING for the server and each service, and follows setServing", async () => {
    expect(await check(fixture.server.address, "")).toEqual({ status: "SERVING" });
    expect(await check(fixture.server.address, SERVICE)).toEqual({ status: "SERVING" });
    expect(await check(fixture.server.address, "strata.nope.v1.Nope")).toEqual({
      code: grpc.status.NOT_FOUND,
    });
    fixture.server.setServing(false);
    expect(await check(fixture.server.address, "")).toEqual({ status: "NOT_SERVING" });
    expect(await check(fixture.server.address, SERVICE)).toEqual({ status: "NOT_SERVING" });
    fixture.server.setServing(true);
    expect(await check(fixture.server.address, "")).toEqual({ status: "SERVING" });
  });

  it("turns NOT_SERVING as soon as shutdown starts", async () => {
    const own = await startFixture();
    const client = new HealthClient(own.server.address, grpc.credentials.createInsecure());
    const statuses: string[] = [];
    const watch = (
      client as unknown as {
        watch(request: { service: string }): grpc.ClientReadableStream<{ status: string }>;
      }
    ).watch({ service: "" });
    watch.on("data", (message: { status: string }) => statuses.push(message.status));
    watch.on("error", () => undefined);
    await expect.poll(() => statuses).toEqual(["SERVING"]);
    const stopped = own.close();
    await expect.poll(() => statuses).toEqual(["SERVING", "NOT_SERVING"]);
    await stopped;
    client.close();
  });
});
