import type { AnyEventEnvelope } from "@strata/events";
import { createTestRuntime } from "@strata/service-kit/testing";
import { describe, expect, it } from "vitest";
import { createEndpointSlots } from "./endpoint-slots.js";
import { fanOut } from "./fan-out.js";
import type { SendRequest, WebhookPorts } from "./ports.js";
import { createEndpointRateLimiter } from "./rate-limiter.js";
import { createAttemptRunner } from "./run-attempt.js";
import {
  DELIVERIES_TABLE,
  type DeliveryRecord,
  WEBHOOK_TABLE_SPECS,
  WEBHOOKS_TABLE,
  type WebhookRecord,
} from "./tables.js";

const CLAIM_MS = 60_000;

async function setup(webhookOverrides: Partial<WebhookRecord> = {}) {
  const runtime = await createTestRuntime(WEBHOOK_TABLE_SPECS);
  const ports: WebhookPorts = {
    ...runtime.ports,
    random: () => 0.5,
    sealer: { seal: (s) => s, open: (s) => s },
    refuseUrl: () => undefined,
    settings: {
      retryScheduleMs: [1_000],
      jitter: 0,
      requestTimeoutMs: 15_000,
      claimMs: CLAIM_MS,
      disableAfterMs: 3_600_000,
      rotationOverlapMs: 3_600_000,
      perEndpointConcurrency: 4,
    },
  };
  const at = runtime.now().toISOString();
  await runtime.store.table<WebhookRecord>(WEBHOOKS_TABLE).insert({
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
    secret_sealed: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    previous_secret_sealed: null,
    previous_secret_until: null,
    failing_since: null,
    created_at: at,
    updated_at: at,
    ...webhookOverrides,
  });
  const sent: SendRequest[] = [];
  const runner = createAttemptRunner(
    ports,
    async (request) => {
      sent.push(request);
      return { statusCode: 200, latencyMs: 1, responseExcerpt: "ok", error: "" };
    },
    createEndpointSlots(4),
    createEndpointRateLimiter(),
  );
  const event: AnyEventEnvelope = {
    specversion: "1.0",
    id: "evt_1",
    source: "test",
    type: "batch.completed",
    time: at,
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
      succeeded: 1,
      failed: 0,
    },
  };
  const [[attempt] = []] = await fanOut(ports, [event]);
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

  it("leaves a rate-limited webhook's first attempt to the work queue, where the limit applies", async () => {
    const { attempt, delivery } = await setup({ rate_limit_per_second: 5 });
    expect(attempt.taken).toBeUndefined();
    expect((await delivery())?.record.take_id).toBeUndefined();
  });
});
