import { context, trace } from "@opentelemetry/api";
import { authV1 } from "@strata/proto";
import { InMemorySpanExporter, initTelemetry, SpanKind, withSpan } from "@strata/telemetry";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ResultClient, resultClient } from "./result-client.js";
import { type Fixture, sampleError, startFixture } from "./test-fixture.js";

// The wrapped client over real gRPC (the fixture's AuthService): each method answers a Result.
const telemetry = initTelemetry({ serviceName: "grpc-test", exporter: new InMemorySpanExporter() });
let fixture: Fixture;
let auth: ResultClient<typeof authV1.AuthServiceService>;

beforeAll(async () => {
  fixture = await startFixture();
  auth = resultClient(fixture.client, authV1.AuthServiceService, { deadlineMs: 1_000 });
});
afterAll(async () => {
  await fixture.close();
  await telemetry.shutdown();
});

const caller = {
  organizationId: "org_1",
  keyId: "key_42",
  permissions: ["read" as const],
  namespaces: ["ns_a"],
  roles: [],
  attributes: {},
};

describe("a result client", () => {
  it("answers a unary call's response as ok", async () => {
    expect(await auth.verifyKey({ secret: "fine" })).toMatchObject({ ok: true, value: { valid: true } });
  });

  it("answers the service's error as the AppError it sent", async () => {
    expect(await auth.verifyKey({ secret: "kind:too_many_requests" })).toEqual({
      ok: false,
      error: sampleError("too_many_requests"),
    });
  });

  it("carries the caller of each call", async () => {
    expect(await auth.getKey({ keyId: "asked" }, { caller })).toMatchObject({
      ok: true,
      value: { key: { keyId: "key_42", organizationId: "org_1", name: "asked" } },
    });
    expect(await auth.getKey({ keyId: "asked" })).toMatchObject({
      ok: false,
      error: { kind: "unauthorized" },
    });
  });

  it("uses its default deadline unless the call names its own", async () => {
    const started = Date.now();
    expect(await auth.verifyKey({ secret: "slow" })).toMatchObject({
      ok: false,
      error: { kind: "unavailable" },
    });
    // The handler takes 2 s: the call ended at the default deadline, long before.
    expect(Date.now() - started).toBeLessThan(1_900);
    expect(await auth.verifyKey({ secret: "slow" }, { deadlineMs: 5_000 })).toMatchObject({
      ok: true,
      value: { valid: false },
    });
  });

  it("runs the call in the trace context it is given, not the active one", async () => {
    const { given } = await withSpan("request", { kind: SpanKind.SERVER }, async (span) => ({
      given: trace.setSpan(context.active(), span),
    }));
    const expected = trace.getSpan(given)?.spanContext().traceId;
    const answer = await withSpan("elsewhere", { kind: SpanKind.INTERNAL }, () =>
      auth.verifyKey({ secret: "fine" }, { trace: given }),
    );
    // The handler names the trace it ran in.
    expect(answer).toMatchObject({ ok: true, value: { key: { name: expected } } });
  });
});
