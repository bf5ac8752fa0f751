import { ok } from "@strata/errors";
import { createTestRuntime } from "@strata/service-kit/testing";
import { describe, expect, it } from "vitest";
import { fanOut } from "./fan-out.js";
import type { WebhookPorts } from "./ports.js";
import { recordOutcome } from "./record-outcome.js";
import {
  DELIVERIES_TABLE,
  type DeliveryRecord,
  WEBHOOK_TABLE_SPECS,
  WEBHOOKS_TABLE,
  type WebhookRecord,
} from "./tables.js";

const HOUR = 3_600_000;

async function setup() {
  const runtime = await createTestRuntime(WEBHOOK_TABLE_SPECS);
  const ports: WebhookPorts = {
    ...runtime.ports,
    random: () => 0.5,
    sealer: { seal: (s) => s, open: (s) => s },
    refuseUrl: () => undefined,
    settings: {
      retryScheduleMs: [HOUR, HOUR, HOUR, HOUR, HOUR, HOUR, HOUR, HOUR],
      jitter: 0.2,
      requestTimeoutMs: 15_000,
      claimMs: 60_000,
      disableAfterMs: 5 * 24 * HOUR,
      rotationOverlapMs: 24 * HOUR,
      perEndpointConcurrency: 16,
    },
  };
  const webhook: WebhookRecord = {
    id: "wh_test",
    organization_id: "org_1",
    namespace_id: "ns_1",
    namespaces: [],
    name: "w",
    url: "https://example.com/hook",
    events: ["*"],
    headers: {},
    is_active: true,
    disabled_reason: null,
    secret_sealed: "whsec_x",
    previous_secret_sealed: null,
    previous_secret_until: null,
    failing_since: null,
    created_at: runtime.now().toISOString(),
    updated_at: runtime.now().toISOString(),
  };
  await runtime.store.table<WebhookRecord>(WEBHOOKS_TABLE).insert(webhook);
  return { runtime, ports };
}

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
    const { runtime, ports } = await setup();
    const deliveries: string[] = [];
    for (let i = 0; i < 8; i++) {
      const event = {
        specversion: "1.0" as const,
        id: `evt_${i}`,
        source: "test",
        type: "batch.completed" as const,
        time: runtime.now().toISOString(),
        subject: "s",
        datacontenttype: "application/json" as const,
        organizationid: "org_1",
        namespaceid: "ns_1",
        data: {
          batch_id: "b",
          collection_id: "c",
          namespace_id: "ns_1",
          organization_id: "org_1",
          total: 1,
          succeeded: 1,
          failed: 0,
        },
      };
      const [[due] = []] = await fanOut(ports, [event]);
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
    const { runtime, ports } = await setup();
    const [[due] = []] = await fanOut(ports, [
      {
        specversion: "1.0",
        id: "evt_gone",
        source: "test",
        type: "batch.failed",
        time: runtime.now().toISOString(),
        subject: "s",
        datacontenttype: "application/json",
        organizationid: "org_1",
        namespaceid: "ns_1",
        data: {
          batch_id: "b",
          collection_id: "c",
          namespace_id: "ns_1",
          organization_id: "org_1",
          total: 1,
          succeeded: 0,
          failed: 1,
        },
      },
    ]);
    await attempt(ports, due?.deliveryId ?? "", 410, runtime.now());
    const delivery = await runtime.store.table<DeliveryRecord>(DELIVERIES_TABLE).get(due?.deliveryId ?? "");
    expect(delivery?.record).toMatchObject({ status: "failed", attempts: 1 });
    const webhook = await runtime.store.table<WebhookRecord>(WEBHOOKS_TABLE).get("wh_test");
    expect(webhook?.record).toMatchObject({ is_active: false, disabled_reason: "gone" });
  });
});
