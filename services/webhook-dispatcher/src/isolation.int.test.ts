import { callUnary } from "@strata/grpc";
import { newId } from "@strata/ids";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestReceiver, type TestReceiver } from "./testing/receiver.js";
import {
  adminOf,
  batchCompleted,
  type DispatcherHarness,
  eventually,
  publishEvents,
  startDispatcherHarness,
} from "./testing/service-harness.js";

const EVENTS = 30;
const LIMIT = 5;

let h: DispatcherHarness;
/** Three real HTTP servers: one healthy, one that never answers, one behind a rate limit. */
let healthy: TestReceiver;
let dead: TestReceiver;
let limited: TestReceiver;
const organizationId = newId("organization");
const namespaceId = newId("namespace");

async function createWebhook(name: string, url: string, rateLimitPerSecond?: number) {
  const created = await callUnary(
    h.client.createWebhook.bind(h.client),
    {
      namespaceId,
      webhookName: name,
      url,
      events: ["batch.*"],
      namespaces: [],
      headers: {},
      ...(rateLimitPerSecond === undefined ? {} : { rateLimitPerSecond }),
    },
    { caller: adminOf(organizationId) },
  );
  if (!created.ok || created.value.webhook === undefined) throw new Error(JSON.stringify(created));
  return created.value.webhook;
}

beforeAll(async () => {
  h = await startDispatcherHarness();
  [healthy, dead, limited] = await Promise.all([
    startTestReceiver(),
    startTestReceiver(),
    startTestReceiver(),
  ]);
});

afterAll(async () => {
  await Promise.all([healthy, dead, limited].map((r) => r?.close()));
  await h?.close();
});

describe("per-endpoint isolation and rate limit", () => {
  it("delays a limited endpoint's deliveries without dropping any, and neither it nor a dead endpoint holds up others", async () => {
    dead.answer = () => ({ status: 200, behaviour: "hang" });
    const arrivals: number[] = [];
    limited.answer = () => {
      arrivals.push(Date.now());
      return { status: 200 };
    };
    const healthyArrivals: number[] = [];
    healthy.answer = () => {
      healthyArrivals.push(Date.now());
      return { status: 200 };
    };
    const webhook = await createWebhook("limited", `${limited.url}/l`, LIMIT);
    expect(webhook.rateLimitPerSecond).toBe(LIMIT);
    await createWebhook("dead", `${dead.url}/d`);
    await createWebhook("healthy", `${healthy.url}/h`);

    await publishEvents(
      h.nc,
      Array.from({ length: EVENTS }, () => batchCompleted(organizationId, namespaceId)),
    );
    await eventually(() => (healthy.received.length === EVENTS ? true : undefined), 20_000);
    expect(dead.received.length).toBeGreaterThan(0);

    await eventually(() => (limited.received.length >= EVENTS ? true : undefined), 30_000);
    const ids = new Set(limited.received.map((r) => String(r.headers["webhook-id"])));
    expect(ids.size).toBe(EVENTS);
    const span = (arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0);
    // A bucket of LIMIT, then LIMIT per second; the first arrival may come after some of the
    // bucket was refilled, so the span is at least (EVENTS - 2 * LIMIT) / LIMIT seconds.
    expect(span).toBeGreaterThanOrEqual(((EVENTS - 2 * LIMIT) / LIMIT) * 1000);
    // No two seconds of the run saw more than the bucket's burst plus two seconds' refill; two
    // more for attempts admitted just before a window whose requests arrived inside it.
    for (const at of arrivals) {
      const inWindow = arrivals.filter((t) => t >= at && t < at + 2000).length;
      expect(inWindow).toBeLessThanOrEqual(3 * LIMIT + 2);
    }
    // The healthy endpoint did not wait for the limited one's turns (nor for the dead one).
    expect(healthyArrivals.at(-1)).toBeLessThan(arrivals.at(-1) ?? 0);
  }, 60_000);
});
