import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-node";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { currentTraceId, extractTraceContext, injectTraceContext, withSpan } from "./spans.js";
import { initTelemetry } from "./telemetry.js";

const exporter = new InMemorySpanExporter();
const telemetry = initTelemetry({ serviceName: "first", exporter });

afterAll(() => telemetry.shutdown());
beforeEach(() => exporter.reset());

function finished(name: string) {
  const span = exporter.getFinishedSpans().find((candidate) => candidate.name === name);
  if (!span) throw new Error(`no finished span ${name}`);
  return span;
}

describe("initTelemetry", () => {
  it("is a no-op returning the first handle when called again", () => {
    const second = initTelemetry({ serviceName: "second", exporter: new InMemorySpanExporter() });
    expect(second).toBe(telemetry);
    expect(second.serviceName).toBe("first");
  });

  it("records spans with the first service name as resource", async () => {
    await withSpan("work", { kind: SpanKind.INTERNAL }, async () => undefined);
    expect(finished("work").resource.attributes["service.name"]).toBe("first");
  });
});

describe("withSpan", () => {
  it("makes the span active for the callback and nests children", async () => {
    const seen = await withSpan("outer", { kind: SpanKind.SERVER, attributes: { a: 1 } }, async (outer) => {
      await withSpan("inner", { kind: SpanKind.INTERNAL }, async () => undefined);
      return { traceId: outer.spanContext().traceId, active: currentTraceId() };
    });
    const outer = finished("outer");
    const inner = finished("inner");
    expect(seen.active).toBe(seen.traceId);
    expect(outer.kind).toBe(SpanKind.SERVER);
    expect(outer.attributes).toEqual({ a: 1 });
    expect(inner.parentSpanContext?.spanId).toBe(outer.spanContext().spanId);
    expect(inner.spanContext().traceId).toBe(outer.spanContext().traceId);
    expect(currentTraceId()).toBeUndefined();
  });

  it("records a throw, sets error status, ends the span and rethrows", async () => {
    const failure = new Error("broken");
    await expect(
      withSpan("failing", { kind: SpanKind.INTERNAL }, async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    const span = finished("failing");
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: "broken" });
    expect(span.events.map((event) => event.name)).toEqual(["exception"]);
  });

  it("leaves the status unset on success", async () => {
    await withSpan("fine", { kind: SpanKind.INTERNAL }, async () => "value");
    expect(finished("fine").status.code).toBe(SpanStatusCode.UNSET);
  });
});

describe("inject / extract", () => {
  it("carries the parent across a carrier, as over a message header", async () => {
    const carrier: Record<string, string> = {};
    await withSpan("producer", { kind: SpanKind.PRODUCER }, async () => injectTraceContext(carrier));
    expect(carrier.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

    // As a consumer elsewhere would: no active span, only the carrier.
    const parent = extractTraceContext(carrier);
    await withSpan("consumer", { kind: SpanKind.CONSUMER, parent }, async () => undefined);
    const producer = finished("producer");
    const consumer = finished("consumer");
    expect(consumer.spanContext().traceId).toBe(producer.spanContext().traceId);
    expect(consumer.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
    expect(consumer.parentSpanContext?.isRemote).toBe(true);
  });

  it("reads header names case-insensitively and array values", async () => {
    const carrier: Record<string, string> = {};
    await withSpan("source", { kind: SpanKind.CLIENT }, async () => injectTraceContext(carrier));
    const parent = extractTraceContext({ Traceparent: [carrier.traceparent ?? ""], other: undefined });
    await withSpan("sink", { kind: SpanKind.SERVER, parent }, async () => undefined);
    expect(finished("sink").parentSpanContext?.spanId).toBe(finished("source").spanContext().spanId);
  });

  it("starts a new trace when the carrier has no context", async () => {
    const parent = extractTraceContext({});
    await withSpan("root", { kind: SpanKind.SERVER, parent }, async () => undefined);
    expect(finished("root").parentSpanContext).toBeUndefined();
  });
});

describe("shutdown", () => {
  // Last on purpose: it replaces the provider the other tests use.
  it("flushes, unregisters, and lets a later call register afresh", async () => {
    await telemetry.shutdown();
    const next = new InMemorySpanExporter();
    const again = initTelemetry({ serviceName: "again", exporter: next });
    expect(again).not.toBe(telemetry);
    await withSpan("after", { kind: SpanKind.INTERNAL }, async () => undefined);
    expect(next.getFinishedSpans().map((span) => span.resource.attributes["service.name"])).toEqual([
      "again",
    ]);
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    await again.shutdown();
  });
});

describe("without an exporter", () => {
  // After the shutdown test: it registers its own provider, or rather does not.
  it("leaves tracing off: no recording spans, no propagation", async () => {
    const quiet = initTelemetry({ serviceName: "quiet" });
    expect(quiet.enabled).toBe(false);
    const incoming = { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" };
    const outgoing: Record<string, string> = {};
    await withSpan(
      "handle",
      { kind: SpanKind.SERVER, parent: extractTraceContext(incoming) },
      async (span) => {
        expect(span.isRecording()).toBe(false);
        injectTraceContext(outgoing);
      },
    );
    expect(outgoing.traceparent).toBeUndefined();
    await quiet.shutdown();
    const traced = initTelemetry({ serviceName: "traced", exporter: new InMemorySpanExporter() });
    expect(traced.enabled).toBe(true);
    await traced.shutdown();
  });
});
