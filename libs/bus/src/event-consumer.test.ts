import { type AnyEventEnvelope, type EventEnvelope, subjectOf } from "@strata/events";
import { type NatsServerHandle, startNatsServer } from "@strata/testkit";
import type { JetStreamClient, NatsConnection } from "nats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectNats } from "./connect.js";
import type { ConsumerOutcome } from "./consumer-engine.js";
import { startEventConsumer } from "./event-consumer.js";
import { DEAD_LETTER_HEADERS, ensureEventStream } from "./streams.js";
import {
  keyRevokedEvent,
  namespaceCreatedEvent,
  newNamespaceId,
  publishEvent,
  readDeadLetters,
  recordingLogger,
  sleep,
  waitFor,
} from "./test-support.js";

describe("startEventConsumer", () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let js: JetStreamClient;
  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectNats({ servers: server.url, name: "consumer-test" });
    await ensureEventStream(nc);
    js = nc.jetstream();
  });
  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  const deadLetters = (durable: string, expected: number) => readDeadLetters(js, durable, expected);

  it("hands each event to the handler and acks it", async () => {
    const ns = newNamespaceId();
    const seen: AnyEventEnvelope[] = [];
    const logger = recordingLogger();
    const handle = await startEventConsumer("namespace.created", {
      nc,
      durable: "ack_test",
      startAt: "new",
      logger,
      handler: async (event, delivery) => {
        expect(delivery.attempt).toBe(1);
        expect(delivery.subject).toBe(subjectOf(event));
        seen.push(event);
        return { action: "ack" };
      },
    });
    const events = [namespaceCreatedEvent(ns, "a"), namespaceCreatedEvent(ns, "b")];
    for (const e of events) await publishEvent(js, subjectOf(e), e);
    await waitFor(() => seen.length === 2);
    await handle.stop();
    expect(seen.map((e) => e.id)).toEqual(events.map((e) => e.id));
    const info = await (await nc.jetstreamManager()).consumers.info("STRATA_EVENTS", "ack_test");
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_pending).toBe(0);
    expect(info.config.max_deliver).toBe(6);
  });

  it("retries after the delay the handler asked for, then succeeds", async () => {
    const ns = newNamespaceId();
    const attempts: { attempt: number; at: number }[] = [];
    const handle = await startEventConsumer("namespace.created", {
      nc,
      durable: "retry_test",
      startAt: "new",
      logger: recordingLogger(),
      handler: async (_event, { attempt }): Promise<ConsumerOutcome> => {
        attempts.push({ attempt, at: Date.now() });
        return attempt < 3 ? { action: "retry", delayMs: 300 } : { action: "ack" };
      },
    });
    const event = namespaceCreatedEvent(ns);
    await publishEvent(js, subjectOf(event), event);
    await waitFor(() => attempts.length === 3);
    await sleep(500);
    await handle.stop();
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    const [a1, a2, a3] = attempts;
    expect((a2?.at ?? 0) - (a1?.at ?? 0)).toBeGreaterThanOrEqual(250);
    expect((a3?.at ?? 0) - (a2?.at ?? 0)).toBeGreaterThanOrEqual(250);
  });

  it("retries a handler that throws, with backoff", async () => {
    const ns = newNamespaceId();
    let calls = 0;
    const logger = recordingLogger();
    const handle = await startEventConsumer("namespace.created", {
      nc,
      durable: "throw_test",
      startAt: "new",
      logger,
      retryBackoff: { initialMs: 100, maxMs: 100 },
      handler: async () => {
        calls += 1;
        if (calls === 1) throw new Error("store unavailable");
        return { action: "ack" };
      },
    });
    const event = namespaceCreatedEvent(ns);
    await publishEvent(js, subjectOf(event), event);
    await waitFor(() => calls === 2);
    await handle.stop();
    expect(logger.lines.some((l) => l.level === "warn" && l.msg === "handler threw; will retry")).toBe(true);
  });

  it("dead-letters an invalid message without calling the handler, and a 'dead' outcome with its reason", async () => {
    const ns = newNamespaceId();
    let calls = 0;
    const handle = await startEventConsumer("namespace.created", {
      nc,
      durable: "dead_test",
      startAt: "new",
      logger: recordingLogger(),
      handler: async (event) => {
        calls += 1;
        return event.type === "namespace.created"
          ? { action: "dead", reason: "cannot handle\nthis one" }
          : { action: "ack" };
      },
    });
    await js.publish(`strata.evt.${ns}.namespace.created`, "{not json", { msgID: "poison-1" });
    const event = namespaceCreatedEvent(ns);
    await publishEvent(
      js,
      subjectOf(event),
      event,
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    );
    const dead = await deadLetters("dead_test", 2);
    await handle.stop();
    expect(calls).toBe(1);
    expect(dead).toHaveLength(2);
    const [poison, refused] = dead;
    expect(poison?.string()).toBe("{not json");
    expect(poison?.headers?.get(DEAD_LETTER_HEADERS.reason)).toBe("invalid event: not JSON");
    expect(poison?.headers?.get(DEAD_LETTER_HEADERS.subject)).toBe(`strata.evt.${ns}.namespace.created`);
    expect(refused?.json<{ id: string }>().id).toBe(event.id);
    expect(refused?.headers?.get(DEAD_LETTER_HEADERS.reason)).toBe("cannot handle this one");
    expect(refused?.headers?.get(DEAD_LETTER_HEADERS.consumer)).toBe("dead_test");
    expect(refused?.headers?.get("traceparent")).toBe(
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    );
    const info = await (await nc.jetstreamManager()).consumers.info("STRATA_EVENTS", "dead_test");
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_pending).toBe(0);
  });

  it("startEventConsumer hands the handler its type only, and dead-letters another type on that subject", async () => {
    const ns = newNamespaceId();
    const seen: EventEnvelope<"namespace.created">[] = [];
    const handle = await startEventConsumer("namespace.created", {
      nc,
      durable: "typed_test",
      // Its filter spans every namespace: the other tests' namespace.created events are not its.
      startAt: "new",
      logger: recordingLogger(),
      handler: async (event) => {
        seen.push(event);
        return { action: "ack" };
      },
    });
    const created = namespaceCreatedEvent(ns);
    const stray = keyRevokedEvent();
    await publishEvent(js, subjectOf(created), created);
    await publishEvent(js, `strata.evt.${ns}.namespace.created`, stray);
    const dead = await deadLetters("typed_test", 1);
    await waitFor(() => seen.length === 1);
    await handle.stop();
    expect(seen.map((e) => [e.id, e.data.namespace_id])).toEqual([[created.id, ns]]);
    expect(dead[0]?.json<{ id: string }>().id).toBe(stray.id);
    expect(dead[0]?.headers?.get(DEAD_LETTER_HEADERS.reason)).toBe("unexpected api_key.revoked");
  });

  it("dead-letters an event after maxDeliver attempts", async () => {
    const ns = newNamespaceId();
    let calls = 0;
    const handle = await startEventConsumer("namespace.created", {
      nc,
      durable: "max_deliver_test",
      startAt: "new",
      logger: recordingLogger(),
      maxDeliver: 3,
      handler: async () => {
        calls += 1;
        return { action: "retry", delayMs: 20 };
      },
    });
    const event = namespaceCreatedEvent(ns);
    await publishEvent(js, subjectOf(event), event);
    const [dead] = await deadLetters("max_deliver_test", 1);
    await handle.stop();
    expect(calls).toBe(3);
    expect(dead?.headers?.get(DEAD_LETTER_HEADERS.reason)).toBe("gave up after 3 attempts");
    expect(dead?.headers?.get(DEAD_LETTER_HEADERS.attempts)).toBe("3");
  });

  it("dead-letters an event whose last attempt never settled (a hung or crashed handler)", async () => {
    const ns = newNamespaceId();
    let calls = 0;
    let release = (): void => {};
    const hung = new Promise<void>((resolve) => {
      release = resolve;
    });
    const handle = await startEventConsumer("namespace.created", {
      nc,
      durable: "timeout_test",
      startAt: "new",
      logger: recordingLogger(),
      maxDeliver: 2,
      ackWaitMs: 300,
      // Past this the handler counts as hung: its heartbeats stop and the ack wait runs out.
      maxHandlerMs: 300,
      concurrency: 4,
      handler: async () => {
        calls += 1;
        await hung;
        return { action: "ack" };
      },
    });
    const event = namespaceCreatedEvent(ns);
    await publishEvent(js, subjectOf(event), event);
    const [dead] = await deadLetters("timeout_test", 1);
    expect(calls).toBe(2);
    release();
    await handle.stop();
    expect(dead?.headers?.get(DEAD_LETTER_HEADERS.reason)).toMatch(/no outcome after 2 deliveries/);
    expect(dead?.headers?.get(DEAD_LETTER_HEADERS.attempts)).toBe("3");
  });

  it("replicas sharing a durable split the work and never process an event twice", async () => {
    const ns = newNamespaceId();
    const byReplica = new Map<string, string[]>([
      ["a", []],
      ["b", []],
    ]);
    const start = (replica: string) =>
      startEventConsumer("namespace.created", {
        nc,
        durable: "shared_test",
        startAt: "new",
        logger: recordingLogger(),
        concurrency: 4,
        handler: async (event) => {
          byReplica.get(replica)?.push(event.id);
          await sleep(2);
          return { action: "ack" };
        },
      });
    const [a, b] = await Promise.all([start("a"), start("b")]);
    const events = Array.from({ length: 400 }, (_, i) => namespaceCreatedEvent(ns, `n${i}`));
    await Promise.all(events.map((e) => publishEvent(js, subjectOf(e), e)));
    const total = () => (byReplica.get("a")?.length ?? 0) + (byReplica.get("b")?.length ?? 0);
    await waitFor(() => total() >= events.length);
    await sleep(300);
    await Promise.all([a.stop(), b.stop()]);
    const all = [...(byReplica.get("a") ?? []), ...(byReplica.get("b") ?? [])];
    expect(all).toHaveLength(events.length);
    expect(new Set(all).size).toBe(events.length);
    expect(byReplica.get("a")?.length).toBeGreaterThan(0);
    expect(byReplica.get("b")?.length).toBeGreaterThan(0);
  });

  it("keeps consuming across a server restart", async () => {
    const ns = newNamespaceId();
    const seen: string[] = [];
    const handle = await startEventConsumer("namespace.created", {
      nc,
      durable: "restart_test",
      startAt: "new",
      logger: recordingLogger(),
      handler: async (event) => {
        seen.push(event.id);
        return { action: "ack" };
      },
    });
    const before = namespaceCreatedEvent(ns);
    await publishEvent(js, subjectOf(before), before);
    await waitFor(() => seen.length === 1);
    await server.restart();
    const after = namespaceCreatedEvent(ns);
    await waitFor(async () => {
      // Publishing may fail until this connection is back.
      return publishEvent(js, subjectOf(after), after).then(
        () => true,
        () => false,
      );
    }, 20_000);
    await waitFor(() => seen.length === 2, 20_000);
    await handle.stop();
    expect(seen).toEqual([before.id, after.id]);
  }, 40_000);

  it("stop() waits for the handler in flight", async () => {
    const ns = newNamespaceId();
    let finished = false;
    let started = false;
    const handle = await startEventConsumer("namespace.created", {
      nc,
      durable: "drain_test",
      startAt: "new",
      logger: recordingLogger(),
      handler: async () => {
        started = true;
        await sleep(300);
        finished = true;
        return { action: "ack" };
      },
    });
    const event = namespaceCreatedEvent(ns);
    await publishEvent(js, subjectOf(event), event);
    await waitFor(() => started);
    await handle.stop();
    expect(finished).toBe(true);
    const info = await (await nc.jetstreamManager()).consumers.info("STRATA_EVENTS", "drain_test");
    expect(info.num_ack_pending).toBe(0);
  });
});
