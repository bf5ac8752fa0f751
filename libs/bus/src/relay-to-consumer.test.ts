import { type Context, context, ROOT_CONTEXT, type SpanContext, TraceFlags, trace } from "@opentelemetry/api";
import { type DocStore, openSqliteDocStore } from "@strata/docstore";
import { ok } from "@strata/errors";
import { EVENTS_STREAM } from "@strata/events";
import { type NatsServerHandle, startNatsServer, type TempDir, tempDir } from "@strata/testkit";
import type { NatsConnection } from "nats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectNats } from "./connect.js";
import { startEventConsumer } from "./event-consumer.js";
import { INBOX_TABLE_SPEC, processOnce } from "./inbox.js";
import { createOutboxAppender, OUTBOX_TABLE_SPEC } from "./outbox.js";
import { OutboxRelay } from "./outbox-relay.js";
import { ensureEventStream } from "./streams.js";
import {
  installContextManager,
  namespaceCreatedEvent,
  newNamespaceId,
  recordingLogger,
  waitFor,
} from "./test-support.js";

describe("outbox → relay → durable consumer", () => {
  const appendToOutbox = createOutboxAppender();
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let dir: TempDir;
  let producerStore: DocStore;
  let consumerStore: DocStore;
  let relay: OutboxRelay;

  beforeAll(async () => {
    installContextManager();
    server = await startNatsServer();
    nc = await connectNats({ servers: server.url, name: "pipeline-test" });
    await ensureEventStream(nc);
    dir = await tempDir("bus-pipeline");
    producerStore = await openSqliteDocStore({ path: `${dir.path}/producer.db` });
    consumerStore = await openSqliteDocStore({ path: `${dir.path}/consumer.db` });
    await producerStore.ensureTable(OUTBOX_TABLE_SPEC);
    await consumerStore.ensureTable(INBOX_TABLE_SPEC);
    relay = new OutboxRelay({ store: producerStore, nc, logger: recordingLogger() });
    relay.start();
  });
  afterAll(async () => {
    await relay?.stop();
    await producerStore?.close();
    await consumerStore?.close();
    await dir?.remove();
    await nc?.close();
    await server?.stop();
  });

  it("5,000 events each arrive once", async () => {
    const ns = newNamespaceId();
    const count = 5_000;
    const handled = new Map<string, number>();
    const consumer = await startEventConsumer("namespace.created", {
      nc,
      durable: "pipeline",
      startAt: "new",
      logger: recordingLogger(),
      concurrency: 8,
      handler: async (event) => {
        const result = await processOnce(consumerStore, "pipeline", event.id, async () => ok("done"));
        if (result.ok && result.value === "done") handled.set(event.id, (handled.get(event.id) ?? 0) + 1);
        return { action: "ack" };
      },
    });
    const events = Array.from({ length: count }, (_, i) => namespaceCreatedEvent(ns, `n${i}`));
    const started = performance.now();
    // One event per transaction, each followed by notify(), as a service does.
    for (const event of events) {
      await producerStore.transaction(async (tx) => {
        await appendToOutbox(tx, event);
        return ok(undefined);
      });
      relay.notify();
    }
    const appended = performance.now();
    await waitFor(() => handled.size === count, 60_000);
    const finished = performance.now();
    await consumer.stop();
    const seconds = (finished - started) / 1000;
    console.log(
      `outbox→consumer: ${count} events in ${seconds.toFixed(2)} s = ${Math.round(count / seconds)} events/s ` +
        `(appending took ${((appended - started) / 1000).toFixed(2)} s)`,
    );
    expect([...handled.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(handled.keys())).toEqual(new Set(events.map((e) => e.id)));
    const jsm = await nc.jetstreamManager();
    const info = await jsm.streams.info(EVENTS_STREAM, { subjects_filter: `strata.evt.${ns}.>` });
    expect(Object.values(info.state.subjects ?? {}).reduce((a, b) => a + b, 0)).toBe(count);
  }, 90_000);

  it("the trace context active at append time is the handler's active context", async () => {
    const ns = newNamespaceId();
    const producerSpan: SpanContext = {
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      spanId: "00f067aa0ba902b7",
      traceFlags: TraceFlags.SAMPLED,
    };
    let seen: SpanContext | undefined;
    let seenTraceparentOnly = false;
    const consumer = await startEventConsumer("namespace.created", {
      nc,
      durable: "traced",
      startAt: "new",
      logger: recordingLogger(),
      handler: async () => {
        // Across an await, so the context really is carried by the async context, not a global.
        await new Promise((r) => setTimeout(r, 5));
        seen = trace.getSpanContext(context.active());
        seenTraceparentOnly = true;
        return { action: "ack" };
      },
    });
    const appendCtx: Context = trace.setSpanContext(ROOT_CONTEXT, producerSpan);
    await context.with(appendCtx, () =>
      producerStore.transaction(async (tx) => {
        await appendToOutbox(tx, namespaceCreatedEvent(ns));
        return ok(undefined);
      }),
    );
    relay.notify();
    await waitFor(() => seenTraceparentOnly);
    await consumer.stop();
    expect(seen?.traceId).toBe(producerSpan.traceId);
    expect(seen?.isRemote).toBe(true);
    expect(seen?.traceFlags).toBe(TraceFlags.SAMPLED);
    // With no tracer SDK installed the consumer span is non-recording and keeps the parent's id.
    expect(seen?.spanId).toBe(producerSpan.spanId);
  });
});
