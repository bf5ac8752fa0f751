import { type AnyEventEnvelope, subjectFilterFor, subjectOf } from "@strata/events";
import { type NatsServerHandle, startNatsServer } from "@strata/testkit";
import type { NatsConnection } from "nats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { subscribeToAllInstances } from "./broadcast-subscriber.js";
import { connectNats } from "./connect.js";
import { ensureEventStream } from "./streams.js";
import { keyRevokedEvent, publishEvent, recordingLogger, sleep, waitFor } from "./test-support.js";

describe("subscribeToAllInstances", () => {
  let server: NatsServerHandle;
  let publisher: NatsConnection;
  let instanceA: NatsConnection;
  let instanceB: NatsConnection;
  beforeAll(async () => {
    server = await startNatsServer();
    publisher = await connectNats({ servers: server.url, name: "publisher" });
    instanceA = await connectNats({ servers: server.url, name: "gateway-a" });
    instanceB = await connectNats({ servers: server.url, name: "gateway-b" });
    await ensureEventStream(publisher);
  });
  afterAll(async () => {
    await Promise.all([publisher, instanceA, instanceB].map((nc) => nc?.close()));
    await server?.stop();
  });

  it("delivers every event to every instance, only events published after it started", async () => {
    const js = publisher.jetstream();
    const before = keyRevokedEvent();
    await publishEvent(js, subjectOf(before), before);
    const got = { a: [] as AnyEventEnvelope[], b: [] as AnyEventEnvelope[] };
    const filterSubject = subjectFilterFor("api_key.revoked");
    const subs = await Promise.all([
      subscribeToAllInstances({
        nc: instanceA,
        filterSubject,
        logger: recordingLogger(),
        handler: (e) => {
          got.a.push(e);
        },
      }),
      subscribeToAllInstances({
        nc: instanceB,
        filterSubject,
        logger: recordingLogger(),
        handler: async (e) => {
          got.b.push(e);
        },
      }),
    ]);
    const events = [keyRevokedEvent(), keyRevokedEvent()];
    for (const e of events) await publishEvent(js, subjectOf(e), e);
    await waitFor(() => got.a.length === 2 && got.b.length === 2);
    await sleep(200);
    await Promise.all(subs.map((s) => s.stop()));
    expect(got.a.map((e) => e.id)).toEqual(events.map((e) => e.id));
    expect(got.b.map((e) => e.id)).toEqual(events.map((e) => e.id));
  });

  it("reaches the handler well under 100 ms after the publish", async () => {
    const js = publisher.jetstream();
    const arrivals = new Map<string, number>();
    const sub = await subscribeToAllInstances({
      nc: instanceA,
      filterSubject: subjectFilterFor("api_key.revoked"),
      logger: recordingLogger(),
      handler: (e) => {
        arrivals.set(e.id, performance.now());
      },
    });
    const latencies: number[] = [];
    for (let i = 0; i < 50; i++) {
      const event = keyRevokedEvent();
      const sentAt = performance.now();
      await publishEvent(js, subjectOf(event), event);
      await waitFor(() => arrivals.has(event.id), 2_000);
      latencies.push((arrivals.get(event.id) ?? Number.POSITIVE_INFINITY) - sentAt);
      await sleep(5);
    }
    await sub.stop();
    latencies.sort((x, y) => x - y);
    const p50 = latencies[Math.floor(latencies.length * 0.5)] ?? 0;
    const max = latencies[latencies.length - 1] ?? 0;
    console.log(`broadcast publish→handler latency: p50 ${p50.toFixed(2)} ms, max ${max.toFixed(2)} ms`);
    expect(p50).toBeLessThan(100);
  });

  it("keeps delivering across a server restart, including events published while it was away", async () => {
    const got: string[] = [];
    const sub = await subscribeToAllInstances({
      nc: instanceA,
      filterSubject: subjectFilterFor("api_key.revoked"),
      logger: recordingLogger(),
      handler: (e) => {
        got.push(e.id);
      },
    });
    const first = keyRevokedEvent();
    await publishEvent(publisher.jetstream(), subjectOf(first), first);
    await waitFor(() => got.includes(first.id));

    // A separate connection publishes right after the restart, possibly before instanceA is back.
    await server.restart();
    const late = await connectNats({ servers: server.url, name: "late-publisher" });
    const during = keyRevokedEvent();
    await publishEvent(late.jetstream(), subjectOf(during), during);
    const after = keyRevokedEvent();
    await waitFor(() => !instanceA.isClosed() && instanceA.info !== undefined);
    await sleep(200);
    await publishEvent(late.jetstream(), subjectOf(after), after);
    await waitFor(() => got.includes(during.id) && got.includes(after.id), 20_000);
    await late.close();
    await sub.stop();
    expect(got).toEqual([first.id, during.id, after.id]);
  }, 40_000);
});
