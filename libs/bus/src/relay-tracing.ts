import { context, type Span, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { headers, type MsgHdrs } from "nats";
import type { OutboxRecord } from "./outbox.js";
import { captureTraceFields, contextFromHeaders } from "./trace-headers.js";

const tracer = trace.getTracer("@strata/bus");

/** A row's publish: its PRODUCER span and the headers that make the consumer's span its child. */
export interface TracedPublish {
  readonly headers: MsgHdrs | undefined;
  /** Ends the span; `failure` marks it failed. */
  end(failure?: unknown): void;
}

/**
 * Starts the relay's publish span for a row, parented on the context the row was appended in (the
 * request that changed the data), so one trace runs from the request through the publish to the
 * consumer. A row without a trace context is published without one, as before.
 */
export function tracePublish(record: OutboxRecord): TracedPublish {
  if (record.traceparent === undefined) return { headers: undefined, end: () => {} };
  const stored = headers();
  stored.set("traceparent", record.traceparent);
  if (record.tracestate !== undefined) stored.set("tracestate", record.tracestate);
  const span: Span = tracer.startSpan(
    `${record.subject} publish`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        "messaging.system": "nats",
        "messaging.operation.type": "send",
        "messaging.destination.name": record.subject,
        "messaging.message.id": record.id,
      },
    },
    contextFromHeaders(stored),
  );
  // With tracing off the span is the stored parent itself, so the header stays what it was.
  const fields = captureTraceFields(trace.setSpan(context.active(), span));
  const sent = headers();
  sent.set("traceparent", fields.traceparent ?? record.traceparent);
  const state = fields.tracestate ?? record.tracestate;
  if (state !== undefined) sent.set("tracestate", state);
  return {
    headers: sent,
    end(failure) {
      if (failure !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: String(failure) });
      span.end();
    },
  };
}
