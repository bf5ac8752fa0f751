import { InMemorySpanExporter, initTelemetry, SpanKind } from "@strata/telemetry";
import { describe, expect, it } from "vitest";
import type { OutboxRecord } from "./outbox.js";
import { tracePublish } from "./relay-tracing.js";

const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const HANDLER_SPAN = "00f067aa0ba902b7";

const row = (fields: Partial<OutboxRecord> = {}): OutboxRecord => ({
  id: "evt_1",
  subject: "strata.evt.ns_1.document.created",
  envelope: "{}",
  created_at: new Date().toISOString(),
  seq: 1,
  ...fields,
});

describe("the relay's publish span", () => {
  it("without tracing, passes the stored trace context on unchanged; a row without one gets no header", () => {
    const traceparent = `00-${TRACE_ID}-${HANDLER_SPAN}-01`;
    const traced = tracePublish(row({ traceparent, tracestate: "k=v" }));
    expect(traced.headers?.get("traceparent")).toBe(traceparent);
    expect(traced.headers?.get("tracestate")).toBe("k=v");
    traced.end();
    expect(tracePublish(row()).headers).toBeUndefined();
  });

  it("is a PRODUCER span under the appending handler's span, and the message carries it as parent", async () => {
    const exporter = new InMemorySpanExporter();
    const telemetry = initTelemetry({ serviceName: "relay-tracing-test", exporter });
    try {
      const traced = tracePublish(row({ traceparent: `00-${TRACE_ID}-${HANDLER_SPAN}-01` }));
      traced.end();
      const [span] = exporter.getFinishedSpans();
      if (span === undefined) throw new Error("no span");
      expect(span.kind).toBe(SpanKind.PRODUCER);
      expect(span.name).toBe("strata.evt.ns_1.document.created publish");
      expect(span.spanContext().traceId).toBe(TRACE_ID);
      expect(span.parentSpanContext?.spanId).toBe(HANDLER_SPAN);
      expect(span.attributes["messaging.message.id"]).toBe("evt_1");
      expect(traced.headers?.get("traceparent")).toBe(`00-${TRACE_ID}-${span.spanContext().spanId}-01`);

      const failed = tracePublish(row({ traceparent: `00-${TRACE_ID}-${HANDLER_SPAN}-01` }));
      failed.end(new Error("no responders"));
      expect(exporter.getFinishedSpans()[1]?.status).toMatchObject({ code: 2 });
    } finally {
      await telemetry.shutdown();
    }
  });
});
