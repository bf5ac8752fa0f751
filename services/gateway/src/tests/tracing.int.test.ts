import { InMemorySpanExporter, initTelemetry, SpanKind, type Telemetry } from "@strata/telemetry";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../test-support/harness.js";

describe("tracing", () => {
  const exporter = new InMemorySpanExporter();
  let telemetry: Telemetry;
  let h: Harness;
  beforeAll(async () => {
    telemetry = initTelemetry({ serviceName: "gateway-test", exporter });
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
    await telemetry?.shutdown();
  });

  it("a SERVER span continues the incoming traceparent and the gRPC calls are its children", async () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const parentSpanId = "00f067aa0ba902b7";
    const { secret } = h.auth.addKey({ organizationId: "org_trace", permissions: ["admin"] });
    exporter.reset();
    const answer = await h.request("POST", "/v1/namespaces", {
      key: secret,
      headers: { traceparent: `00-${traceId}-${parentSpanId}-01` },
      body: { namespace_name: "traced" },
    });
    expect(answer.status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    const server = spans.find((s) => s.kind === SpanKind.SERVER && s.name === "POST /v1/namespaces");
    if (server === undefined) throw new Error(`no SERVER span; got ${spans.map((s) => s.name).join(", ")}`);
    expect(server.parentSpanContext?.spanId).toBe(parentSpanId);
    expect(server.attributes["http.response.status_code"]).toBe(201);
    const clientCalls = spans.filter((s) => s.kind === SpanKind.CLIENT);
    const names = clientCalls.map((s) => s.name).sort();
    expect(names).toEqual([
      "strata.auth.v1.AuthService/VerifyKey",
      "strata.namespace.v1.NamespaceService/CreateNamespace",
    ]);
    for (const call of clientCalls) expect(call.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
  });
});
