import { InMemorySpanExporter, initTelemetry, SpanKind, SpanStatusCode, withSpan } from "@strata/telemetry";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { callUnary } from "./client.js";
import { type Fixture, SERVICE, startFixture } from "./test-fixture.js";

const exporter = new InMemorySpanExporter();
const telemetry = initTelemetry({ serviceName: "grpc-test", exporter });
let fixture: Fixture;

beforeAll(async () => {
  fixture = await startFixture();
});
afterAll(async () => {
  await fixture.close();
  await telemetry.shutdown();
});
beforeEach(() => exporter.reset());

const RPC = `${SERVICE}/VerifyKey`;

function spansNamed(name: string) {
  return exporter.getFinishedSpans().filter((span) => span.name === name);
}

describe("trace context over gRPC", () => {
  it("parents the server span on the client span, inside the caller's trace", async () => {
    const { traceId, result } = await withSpan(
      "gateway request",
      { kind: SpanKind.SERVER },
      async (span) => ({
        traceId: span.spanContext().traceId,
        result: await callUnary(fixture.client.verifyKey.bind(fixture.client), { secret: "fine" }),
      }),
    );
    if (!result.ok) throw new Error(result.error.message);
    // The handler ran inside the server span: it saw the same trace.
    expect(result.value.key?.name).toBe(traceId);

    await expect.poll(() => spansNamed(RPC).length).toBe(2);
    const [outer] = spansNamed("gateway request");
    const client = spansNamed(RPC).find((span) => span.kind === SpanKind.CLIENT);
    const server = spansNamed(RPC).find((span) => span.kind === SpanKind.SERVER);
    expect(outer && client && server).toBeTruthy();
    if (!outer || !client || !server) return;
    expect(client.spanContext().traceId).toBe(traceId);
    expect(server.spanContext().traceId).toBe(traceId);
    expect(client.parentSpanContext?.spanId).toBe(outer.spanContext().spanId);
    expect(server.parentSpanContext?.spanId).toBe(client.spanContext().spanId);
    expect(server.parentSpanContext?.isRemote).toBe(true);
    expect(server.attributes).toMatchObject({
      "rpc.system": "grpc",
      "rpc.service": SERVICE,
      "rpc.method": "VerifyKey",
      "rpc.grpc.status_code": 0,
    });
  });

  it("marks a thrown handler error on the server span, not an expected failure", async () => {
    await callUnary(fixture.client.verifyKey.bind(fixture.client), { secret: "throw" });
    await callUnary(fixture.client.verifyKey.bind(fixture.client), { secret: "kind:not_found" });
    await expect.poll(() => spansNamed(RPC).length).toBe(4);
    const servers = spansNamed(RPC).filter((span) => span.kind === SpanKind.SERVER);
    const thrown = servers.find((span) => span.attributes["rpc.grpc.status_code"] === 13);
    const notFound = servers.find((span) => span.attributes["rpc.grpc.status_code"] === 5);
    expect(thrown?.status.code).toBe(SpanStatusCode.ERROR);
    expect(thrown?.events.some((event) => event.name === "exception")).toBe(true);
    expect(notFound?.status.code).toBe(SpanStatusCode.UNSET);
  });
});
