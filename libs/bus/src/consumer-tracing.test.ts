import { context, trace } from "@opentelemetry/api";
import type { JsMsg } from "nats";
import { headers as natsHeaders } from "nats";
import { afterEach, describe, expect, it } from "vitest";
import { handleEvent } from "./consumer-tracing.js";
import { installContextManager, keyRevokedEvent } from "./test-support.js";

const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

/** A delivered message as the engine hands it over; counts how often its headers are read. */
function deliveredWithTrace() {
  const h = natsHeaders();
  h.set("traceparent", `00-${TRACE_ID}-00f067aa0ba902b7-01`);
  let reads = 0;
  const m = {
    subject: "strata.evt._org_x.api_key.revoked",
    get headers() {
      reads += 1;
      return h;
    },
  } as unknown as JsMsg;
  return { m, reads: () => reads };
}

afterEach(() => {
  context.disable();
});

describe("handleEvent", () => {
  it("runs the handler without reading the headers when no context manager could carry a context", async () => {
    const { m, reads } = deliveredWithTrace();
    const seen = await handleEvent(m, keyRevokedEvent(), "durable", async () =>
      trace.getSpanContext(context.active()),
    );
    expect(seen).toBeUndefined();
    expect(reads()).toBe(0);
  });

  it("runs the handler in the producer's trace when a context manager is installed", async () => {
    installContextManager();
    const { m, reads } = deliveredWithTrace();
    const seen = await handleEvent(m, keyRevokedEvent(), "durable", async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return trace.getSpanContext(context.active());
    });
    expect(seen?.traceId).toBe(TRACE_ID);
    expect(reads()).toBeGreaterThan(0);
  });
});
