import { ok } from "@strata/errors";
import { describe, expect, it } from "vitest";
import { batchEvent, domainFixture } from "../testing/domain-fixtures.js";
import { createEndpointSlots } from "./endpoint-slots.js";
import { fanOut } from "./fan-out.js";
import type { SendRequest } from "./ports.js";
import { createEndpointRateLimiter } from "./rate-limiter.js";
import { createAttemptRunner, type EndpointSlots } from "./run-attempt.js";
import { DELIVERIES_TABLE, type DeliveryRecord, type WebhookRecord } from "./tables.js";

const CLAIM_MS = 60_000;

async function setup(webhookOverrides: Partial<WebhookRecord> = {}, slots = createEndpointSlots(4)) {
  const { runtime, ports } = await domainFixture(
    { claimMs: CLAIM_MS, perEndpointConcurrency: 4 },
    webhookOverrides,
  );
  const sent: SendRequest[] = [];
  const runner = createAttemptRunner(
    ports,
    async (request) => {
      sent.push(request);
      return { statusCode: 200, latencyMs: 1, responseExcerpt: "ok", error: "" };
    },
    slots,
    createEndpointRateLimiter(),
  );
  const [[attempt] = []] = await fanOut(ports, [batchEvent("evt_1", "batch.completed", runtime.now())]);
  if (attempt === undefined) throw new Error("no delivery fanned out");
  const delivery = () => runtime.store.table<DeliveryRecord>(DELIVERIES_TABLE).get(attempt.deliveryId);
  return { runtime, runner, sent, attempt, delivery };
}

describe("first attempts sent by the replica that fanned them out", () => {
  it("takes the first attempt in the fan-out's insert and sends it, recording the outcome", async () => {
    const { runner, sent, attempt, delivery } = await setup();
    expect((await delivery())?.record.take_id).toBeTruthy();
    if (attempt.taken === undefined) throw new Error("not taken");
    expect(await runner.runTaken(attempt.taken)).toBe("sent");
    expect(sent.map((r) => r.headers["webhook-id"])).toEqual(["evt_1"]);
    expect((await delivery())?.record).toMatchObject({ status: "succeeded", attempts: 1, take_id: "" });
  });

  it("never sends an attempt that could not start before its deadline (another replica may claim it)", async () => {
    const { runtime, runner, sent, attempt, delivery } = await setup();
    if (attempt.taken === undefined) throw new Error("not taken");
    runtime.advance(CLAIM_MS + 1);
    expect(await runner.runTaken(attempt.taken)).toBe("expired");
    expect(sent).toEqual([]);
    // Left as taken: the work queue's worker may take it again by its version.
    expect((await delivery())?.record).toMatchObject({ status: "pending", attempts: 0 });
    expect(await runner.runDue(attempt)).toBe("sent");
    expect(sent).toHaveLength(1);
  });

  it("frees the endpoint's slot once the request is answered, before its outcome is written", async () => {
    const inner = createEndpointSlots(1);
    const released: string[] = [];
    const slots: EndpointSlots = {
      take: (webhookId) => inner.take(webhookId),
      release: (webhookId) => {
        released.push(webhookId);
        inner.release(webhookId);
      },
    };
    const { runtime, runner, attempt, delivery } = await setup({}, slots);
    if (attempt.taken === undefined) throw new Error("not taken");
    // Another transaction holds the store: the outcome cannot be written until it ends.
    let endHold = () => {};
    const held = new Promise<void>((resolve) => {
      endHold = resolve;
    });
    const holding = runtime.store.transaction(async () => {
      await held;
      return ok(undefined);
    });
    const running = runner.runTaken(attempt.taken);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(released).toEqual(["wh_test"]);
    expect((await Promise.race([running, Promise.resolve("still writing")])) as string).toBe("still writing");
    endHold();
    await holding;
    expect(await running).toBe("sent");
    expect(released).toEqual(["wh_test"]);
    expect((await delivery())?.record).toMatchObject({ status: "succeeded", attempts: 1 });
  });

  it("leaves a rate-limited webhook's first attempt to the work queue, where the limit applies", async () => {
    const { attempt, delivery } = await setup({ rate_limit_per_second: 5 });
    expect(attempt.taken).toBeUndefined();
    expect((await delivery())?.record.take_id).toBeUndefined();
  });
});
