import { err, ok, unavailable } from "@strata/errors";
import { DEAD_LETTER_HEADERS, EVENTS_STREAM, subjectOf } from "@strata/events";
import { type NatsServerHandle, startNatsServer } from "@strata/testkit";
import { type JetStreamClient, type JsMsg, type NatsConnection, nanos } from "nats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectNats } from "./connect.js";
import { startEventConsumer } from "./event-consumer.js";
import { ensureEventStream } from "./streams.js";
import {
  countOnStream,
  namespaceCreatedEvent,
  newNamespaceId,
  publishEvent,
  readDeadLetters,
  recordingLogger,
  sleep,
  waitFor,
} from "./test-support.js";
import { startWorkQueueConsumer } from "./work-queue-consumer.js";
import { ensureWorkQueueStream } from "./work-stream.js";

const STREAM = "TEST_WORK";
const ROOT = "test.work";
const decoder = new TextDecoder();
const decode = (data: Uint8Array): { n: number } | undefined => {
  try {
    const value: unknown = JSON.parse(decoder.decode(data));
    return typeof value === "object" && value !== null && "n" in value && typeof value.n === "number"
      ? { n: value.n }
      : undefined;
  } catch {
    return undefined;
  }
};

describe("startWorkQueueConsumer and the engine under both faces", () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let js: JetStreamClient;
  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectNats({ servers: server.url, name: "work-queue-test" });
    await ensureEventStream(nc);
    await ensureWorkQueueStream(nc, { name: STREAM, subjects: [`${ROOT}.>`] });
    js = nc.jetstream();
  });
  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  const publishWork = (queue: string, body: string, id: string) =>
    js.publish(`${ROOT}.${queue}`, body, { msgID: id });

  it("ensureWorkQueueStream creates a work-queue stream and converges a live one", async () => {
    const jsm = await nc.jetstreamManager();
    const created = await jsm.streams.info(STREAM);
    expect(created.config.retention).toBe("workqueue");
    expect(created.config.duplicate_window).toBe(nanos(2 * 60 * 1000));
    await ensureWorkQueueStream(nc, { name: STREAM, subjects: [`${ROOT}.>`], duplicateWindowMs: 30_000 });
    expect((await jsm.streams.info(STREAM)).config.duplicate_window).toBe(nanos(30_000));
    await ensureWorkQueueStream(nc, { name: STREAM, subjects: [`${ROOT}.>`] });
    expect((await jsm.streams.info(STREAM)).config.duplicate_window).toBe(nanos(2 * 60 * 1000));
  });

  it("hands decoded items to the handler and the acked ones leave the stream", async () => {
    const seen: number[] = [];
    const handle = await startWorkQueueConsumer({
      nc,
      durable: "wq_ack",
      stream: STREAM,
      filterSubject: `${ROOT}.ack`,
      logger: recordingLogger(),
      decode,
      handler: async (item, delivery) => {
        expect(delivery.subject).toBe(`${ROOT}.ack`);
        seen.push(item.n);
        return { action: "ack" };
      },
    });
    for (let n = 0; n < 5; n++) await publishWork("ack", JSON.stringify({ n }), `ack-${n}`);
    await waitFor(() => seen.length === 5);
    await handle.stop();
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    await waitFor(async () => (await countOnStream(nc, STREAM, `${ROOT}.ack`)) === 0);
  });

  it("records a given-up item before its dead letter; an undecodable one is dead-lettered untold", async () => {
    const told: Array<[number, string]> = [];
    let failRecord = true;
    let calls = 0;
    const handle = await startWorkQueueConsumer({
      nc,
      durable: "wq_give_up",
      stream: STREAM,
      filterSubject: `${ROOT}.give_up`,
      logger: recordingLogger(),
      maxDeliver: 2,
      decode,
      handler: async () => {
        calls += 1;
        return { action: "retry", delayMs: 20 };
      },
      beforeDeadLetter: async (item, reason) => {
        // The first recording fails: the message is kept and recorded again, never lost.
        if (failRecord) {
          failRecord = false;
          return err(unavailable("store away"));
        }
        told.push([item.n, reason]);
        return ok(undefined);
      },
    });
    await publishWork("give_up", "not json", "give-up-bad");
    await publishWork("give_up", JSON.stringify({ n: 7 }), "give-up-7");
    const dead = await readDeadLetters(js, "wq_give_up", 2);
    await handle.stop();
    expect(calls).toBe(2);
    expect(told).toEqual([[7, "gave up after 2 attempts"]]);
    expect(dead.map((m) => m.headers?.get(DEAD_LETTER_HEADERS.reason))).toEqual([
      "not a valid work item",
      "gave up after 2 attempts",
    ]);
    await waitFor(async () => (await countOnStream(nc, STREAM, `${ROOT}.give_up`)) === 0);
  });

  it("both faces write the one dead-letter format: the original bytes and the same headers", async () => {
    const ns = newNamespaceId();
    const refuse = async () => ({ action: "dead", reason: "refused" }) as const;
    const events = await startEventConsumer("namespace.created", {
      nc,
      durable: "format_events",
      startAt: "new",
      logger: recordingLogger(),
      handler: refuse,
    });
    const work = await startWorkQueueConsumer({
      nc,
      durable: "format_work",
      stream: STREAM,
      filterSubject: `${ROOT}.format`,
      logger: recordingLogger(),
      decode,
      handler: refuse,
    });
    const event = namespaceCreatedEvent(ns);
    await publishEvent(
      js,
      subjectOf(event),
      event,
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    );
    const item = JSON.stringify({ n: 1 });
    await publishWork("format", item, "format-1");
    const [fromEvents] = await readDeadLetters(js, "format_events", 1);
    const [fromWork] = await readDeadLetters(js, "format_work", 1);
    await Promise.all([events.stop(), work.stop()]);
    expect(fromEvents?.string()).toBe(JSON.stringify(event));
    expect(fromWork?.string()).toBe(item);
    const strataHeaders = (m: JsMsg | undefined) =>
      (m?.headers?.keys() ?? []).filter((k) => k.startsWith("Strata-")).sort();
    const expected = Object.values(DEAD_LETTER_HEADERS).sort();
    expect(strataHeaders(fromEvents)).toEqual(expected);
    expect(strataHeaders(fromWork)).toEqual(expected);
    expect(fromEvents?.headers?.get(DEAD_LETTER_HEADERS.consumer)).toBe("format_events");
    expect(fromWork?.headers?.get(DEAD_LETTER_HEADERS.consumer)).toBe("format_work");
    expect(fromWork?.headers?.get(DEAD_LETTER_HEADERS.subject)).toBe(`${ROOT}.format`);
    expect(fromWork?.headers?.get(DEAD_LETTER_HEADERS.attempts)).toBe("1");
    expect(fromEvents?.headers?.get("traceparent")).toBe(
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    );
    // The original publish's Msg-Id stays with the original.
    expect(fromWork?.headers?.get("Nats-Msg-Id")).not.toBe("format-1");
  });

  it("a restart with other settings converges the live durable (ack wait, max deliver, server backoff)", async () => {
    const jsm = await nc.jetstreamManager();
    const start = (ackWaitMs: number, maxDeliver: number) =>
      startWorkQueueConsumer({
        nc,
        durable: "wq_converge",
        stream: STREAM,
        filterSubject: `${ROOT}.converge`,
        logger: recordingLogger(),
        ackWaitMs,
        maxDeliver,
        decode,
        handler: async () => ({ action: "ack" }),
      });
    await (await start(300_000, 5)).stop();
    let info = await jsm.consumers.info(STREAM, "wq_converge");
    expect([info.config.ack_wait, info.config.max_deliver]).toEqual([nanos(300_000), 6]);
    // An operator (or an older release) left a server-side backoff, which overrides ack_wait.
    await jsm.consumers.update(STREAM, "wq_converge", { backoff: [nanos(1_000), nanos(2_000)] });
    await (await start(30_000, 3)).stop();
    info = await jsm.consumers.info(STREAM, "wq_converge");
    expect([info.config.ack_wait, info.config.max_deliver]).toEqual([nanos(30_000), 4]);
    expect(info.config.backoff ?? []).toEqual([]);
    // The event face goes through the same convergence.
    const startEvents = (ackWaitMs: number) =>
      startEventConsumer("namespace.created", {
        nc,
        durable: "events_converge",
        startAt: "new",
        ackWaitMs,
        logger: recordingLogger(),
        handler: async () => ({ action: "ack" }),
      });
    await (await startEvents(300_000)).stop();
    await (await startEvents(20_000)).stop();
    expect((await jsm.consumers.info(EVENTS_STREAM, "events_converge")).config.ack_wait).toBe(nanos(20_000));
  });

  it("heartbeats keep a handler that runs far past the ack wait from being delivered again", async () => {
    const attempts: number[] = [];
    // Two replicas: the idle one would take a redelivery at once.
    const replica = () =>
      startWorkQueueConsumer({
        nc,
        durable: "wq_long",
        stream: STREAM,
        filterSubject: `${ROOT}.long`,
        logger: recordingLogger(),
        ackWaitMs: 300,
        decode,
        handler: async (_item, delivery) => {
          attempts.push(delivery.attempt);
          await sleep(2_000);
          return { action: "ack" };
        },
      });
    const replicas = await Promise.all([replica(), replica()]);
    await publishWork("long", JSON.stringify({ n: 1 }), "long-1");
    await waitFor(() => attempts.length === 1);
    await waitFor(async () => (await countOnStream(nc, STREAM, `${ROOT}.long`)) === 0, 10_000);
    await Promise.all(replicas.map((r) => r.stop()));
    expect(attempts).toEqual([1]);
    const info = await (await nc.jetstreamManager()).consumers.info(STREAM, "wq_long");
    expect(info.num_redelivered).toBe(0);
    expect(info.num_ack_pending).toBe(0);
  });

  it("the message of a replica that died mid-handler goes to another replica after the short ack wait", async () => {
    const dying = await connectNats({ servers: server.url, name: "dying-replica" });
    let taken = false;
    const first = await startWorkQueueConsumer({
      nc: dying,
      durable: "wq_crash",
      stream: STREAM,
      filterSubject: `${ROOT}.crash`,
      logger: recordingLogger(),
      ackWaitMs: 500,
      decode,
      handler: async () => {
        taken = true;
        return new Promise<never>(() => {}); // never settles: the replica dies with it
      },
    });
    let resumed: { attempt: number; at: number } | undefined;
    await publishWork("crash", JSON.stringify({ n: 1 }), "crash-1");
    await waitFor(() => taken);
    // Held for well over its ack wait, the message is not handed to anyone else.
    await sleep(1_500);
    const second = await startWorkQueueConsumer({
      nc,
      durable: "wq_crash",
      stream: STREAM,
      filterSubject: `${ROOT}.crash`,
      logger: recordingLogger(),
      ackWaitMs: 500,
      decode,
      handler: async (_item, delivery) => {
        resumed = { attempt: delivery.attempt, at: Date.now() };
        return { action: "ack" };
      },
    });
    await sleep(1_000);
    expect(resumed).toBeUndefined();
    const died = Date.now();
    await dying.close(); // the replica is gone: no more heartbeats
    await waitFor(() => resumed !== undefined, 10_000);
    await second.stop();
    void first.stop();
    expect(resumed?.attempt).toBe(2);
    // Back after about the ack wait (500 ms), not minutes.
    expect((resumed?.at ?? Number.POSITIVE_INFINITY) - died).toBeLessThan(3_000);
  });
});
