import { ok } from "@strata/errors";
import { describe, expect, it } from "vitest";
import { batchEvent, domainFixture, HOUR } from "../testing/domain-fixtures.js";
import { fanOut } from "./fan-out.js";
import type { WebhookPorts } from "./ports.js";
import { recordOutcome } from "./record-outcome.js";
import { DELIVERIES_TABLE, type DeliveryRecord, WEBHOOKS_TABLE, type WebhookRecord } from "./tables.js";

async function attempt(ports: WebhookPorts, deliveryId: string, statusCode: number, at: Date) {
  return ports.store.transaction(async (tx) => {
    const delivery = await tx.table<DeliveryRecord>(DELIVERIES_TABLE).get(deliveryId);
    const webhook = await tx.table<WebhookRecord>(WEBHOOKS_TABLE).get("wh_test");
    if (delivery === undefined || webhook === undefined) throw new Error("missing");
    const outcome = { statusCode, latencyMs: 1, responseExcerpt: "", error: "" };
    return ok(await recordOutcome(ports, tx, delivery, webhook, outcome, at));
  });
}

describe("endpoint health", () => {
  it("disables a webhook failing without a success for the disable period, with webhook.disabled", async () => {
    const { runtime, ports } = await domainFixture();
    const deliveries: string[] = [];
    for (let i = 0; i < 8; i++) {
      const [[due] = []] = await fanOut(ports, [batchEvent(`evt_${i}`, "batch.completed", runtime.now())]);
      deliveries.push(due?.deliveryId ?? "");
    }
    // A success in the middle forgets the failures before it.
    expect((await attempt(ports, deliveries[0] ?? "", 500, runtime.now())).ok).toBe(true);
    runtime.advance(3 * 24 * HOUR);
    await attempt(ports, deliveries[1] ?? "", 200, runtime.now());
    await attempt(ports, deliveries[2] ?? "", 503, runtime.now());
    runtime.advance(4 * 24 * HOUR);
    await attempt(ports, deliveries[3] ?? "", 500, runtime.now());
    let webhook = await runtime.store.table<WebhookRecord>(WEBHOOKS_TABLE).get("wh_test");
    expect(webhook?.record.is_active).toBe(true);
    runtime.advance(1 * 24 * HOUR + 1);
    const appended = await attempt(ports, deliveries[4] ?? "", 500, runtime.now());
    expect(appended.ok && appended.value).toBe(true);
    webhook = await runtime.store.table<WebhookRecord>(WEBHOOKS_TABLE).get("wh_test");
    expect(webhook?.record).toMatchObject({ is_active: false, disabled_reason: "failing" });
    const events = await runtime.events();
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ["webhook.disabled", expect.objectContaining({ webhook_id: "wh_test", reason: "failing" })],
    ]);
  });

  it("disables at once on 410 Gone, and fails the delivery without retries", async () => {
    const { runtime, ports } = await domainFixture();
    const [[due] = []] = await fanOut(ports, [batchEvent("evt_gone", "batch.failed", runtime.now())]);
    await attempt(ports, due?.deliveryId ?? "", 410, runtime.now());
    const delivery = await runtime.store.table<DeliveryRecord>(DELIVERIES_TABLE).get(due?.deliveryId ?? "");
    expect(delivery?.record).toMatchObject({ status: "failed", attempts: 1 });
    const webhook = await runtime.store.table<WebhookRecord>(WEBHOOKS_TABLE).get("wh_test");
    expect(webhook?.record).toMatchObject({ is_active: false, disabled_reason: "gone" });
  });
});
