import { EVENTS_STREAM, subjectOf } from "@strata/events";
import { type NatsServerHandle, startNatsServer } from "@strata/testkit";
import type { NatsConnection } from "nats";
import { nanos } from "nats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectNats } from "./connect.js";
import { DLQ_STREAM, ensureEventStream } from "./streams.js";
import { countOnStream, keyRevokedEvent, publishEvent } from "./test-support.js";

describe("ensureEventStream", () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectNats({ servers: server.url, name: "streams-test" });
  });
  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  it("creates both streams once when several services start at the same time", async () => {
    await Promise.all(Array.from({ length: 5 }, () => ensureEventStream(nc)));
    const jsm = await nc.jetstreamManager();
    const events = await jsm.streams.info(EVENTS_STREAM);
    expect(events.config.subjects).toEqual(["strata.evt.>"]);
    expect(events.config.storage).toBe("file");
    expect(events.config.duplicate_window).toBe(nanos(2 * 60 * 1000));
    expect(events.config.max_age).toBe(nanos(7 * 24 * 60 * 60 * 1000));
    const dlq = await jsm.streams.info(DLQ_STREAM);
    expect(dlq.config.subjects).toEqual(["strata.dlq.>"]);
    const names: string[] = [];
    for await (const s of jsm.streams.list()) names.push(s.config.name);
    expect(names.sort()).toEqual([DLQ_STREAM, EVENTS_STREAM]);
  });

  it("updates the limits of an existing stream and keeps its messages", async () => {
    await ensureEventStream(nc);
    const js = nc.jetstream();
    const event = keyRevokedEvent();
    await publishEvent(js, subjectOf(event), event);
    await ensureEventStream(nc, { maxAgeMs: 60 * 60 * 1000, duplicateWindowMs: 30_000 });
    const info = await (await nc.jetstreamManager()).streams.info(EVENTS_STREAM);
    expect(info.config.max_age).toBe(nanos(60 * 60 * 1000));
    expect(info.config.duplicate_window).toBe(nanos(30_000));
    expect(await countOnStream(nc, EVENTS_STREAM, subjectOf(event))).toBe(1);
  });

  it("keeps limits an operator set when a service later starts with the defaults", async () => {
    await ensureEventStream(nc, { maxAgeMs: 3 * 60 * 60 * 1000, duplicateWindowMs: 45_000 });
    await ensureEventStream(nc);
    const info = await (await nc.jetstreamManager()).streams.info(EVENTS_STREAM);
    expect(info.config.max_age).toBe(nanos(3 * 60 * 60 * 1000));
    expect(info.config.duplicate_window).toBe(nanos(45_000));
  });

  it("drops a re-publish of the same event id", async () => {
    await ensureEventStream(nc);
    const js = nc.jetstream();
    const event = keyRevokedEvent();
    await publishEvent(js, subjectOf(event), event);
    await publishEvent(js, subjectOf(event), event);
    expect(await countOnStream(nc, EVENTS_STREAM, subjectOf(event))).toBe(1);
  });
});
