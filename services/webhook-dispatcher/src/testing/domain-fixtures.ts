// Ports, a webhook and an event for this package's domain unit tests (in-memory store, fixed clock).
import type { AnyEventEnvelope } from "@strata/events";
import { createTestRuntime } from "@strata/service-kit/testing";
import type { DispatchSettings, WebhookPorts } from "../domain/ports.js";
import { WEBHOOK_TABLE_SPECS, WEBHOOKS_TABLE, type WebhookRecord } from "../domain/tables.js";

export const HOUR = 3_600_000;

/** The in-memory runtime, ports with the given settings, and one active webhook "wh_test" of org_1/ns_1. */
export async function domainFixture(
  settings: Partial<DispatchSettings> = {},
  webhook: Partial<WebhookRecord> = {},
) {
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
      ...settings,
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
    ...webhook,
  });
  return { runtime, ports };
}

/** A batch event of org_1/ns_1 with this id. */
export function batchEvent(
  id: string,
  type: "batch.completed" | "batch.failed",
  time: Date,
): AnyEventEnvelope {
  const failed = type === "batch.failed" ? 1 : 0;
  return {
    specversion: "1.0",
    id,
    source: "test",
    type,
    time: time.toISOString(),
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
      succeeded: 1 - failed,
      failed,
    },
  };
}
