import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { openSqliteDocStore, type Where } from "@strata/docstore";
import { type NatsServerHandle, startNatsServer } from "@strata/testkit";
import { startTestReceiver, type TestReceiver } from "@strata/webhook-dispatcher/testing/receiver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectErrorBody, startTestPlatform, type TestPlatform, waitUntil } from "./harness.js";

/**
 * Webhooks travel with their namespace (issue 10): deleting it through the gateway deletes its
 * webhooks, their deliveries (delivered and still pending) and their attempt log, checked in the
 * dispatcher's own store; the webhook answers 404; another namespace's webhook is left whole.
 */
let nats: NatsServerHandle;
let platform: TestPlatform;
let receiver: TestReceiver;

beforeAll(async () => {
  nats = await startNatsServer();
  receiver = await startTestReceiver();
  // The "/failing" endpoint never succeeds: its deliveries stay pending, retried far apart.
  receiver.answer = ({ path }) => ({ status: path.startsWith("/failing") ? 500 : 200 });
  platform = await startTestPlatform({
    NATS_URL: nats.url,
    STRATA_INTERNAL_TOKEN: randomBytes(32).toString("hex"),
    STRATA_WEBHOOK_ALLOWED_CIDRS: "127.0.0.0/8",
    WEBHOOK_RETRY_SCHEDULE: "1h",
    WEBHOOK_SCHEDULER_INTERVAL: "25ms",
  });
}, 60_000);

afterAll(async () => {
  await platform?.stop();
  await receiver?.close();
  await nats?.stop();
});

/** Rows of a table of the dispatcher's SQLite store that match. */
async function rows(table: string, where: Where): Promise<number> {
  const store = openSqliteDocStore({ path: join(platform.dataDir, "webhooks.db") });
  try {
    return await store.table(table).count(where);
  } finally {
    await store.close();
  }
}

async function namespaceWithWebhooks(name: string) {
  const ns = await platform.call<{ namespace_id: string }>("POST", "/v1/namespaces", {
    body: { namespace_name: name },
  });
  expect(ns.status).toBe(201);
  const hook = async (webhookName: string, path: string) => {
    const created = await platform.call<{ webhook_id: string }>("POST", "/v1/webhooks", {
      namespace: name,
      body: { webhook_name: webhookName, url: `${receiver.url}${path}`, events: ["batch.*"] },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.webhook_id;
  };
  const delivered = await hook("ok", `/ok-${name}`);
  const failing = await hook("failing", `/failing-${name}`);
  for (const id of [delivered, failing]) {
    const test = await platform.call("POST", `/v1/webhooks/${id}/test`, { namespace: name });
    expect(test.status).toBe(202);
  }
  // One delivery succeeded, one failed its first attempt and waits for its retry.
  await waitUntil(
    async () =>
      (await rows("deliveries", { webhook_id: delivered, status: "succeeded" })) === 1 &&
      (await rows("delivery_attempts", { webhook_id: failing })) === 1,
    20_000,
  );
  expect(await rows("deliveries", { webhook_id: failing, status: "pending" })).toBe(1);
  return { namespaceId: ns.body.namespace_id, webhookIds: [delivered, failing] };
}

describe("deleting a namespace through the gateway", () => {
  it("deletes its webhooks, their deliveries and attempt log, and leaves another namespace's", async () => {
    const doomed = await namespaceWithWebhooks("doomed-hooks");
    const kept = await namespaceWithWebhooks("kept-hooks");
    const [doomedWebhook] = doomed.webhookIds;

    expect((await platform.call("DELETE", "/v1/namespaces/doomed-hooks")).status).toBe(200);
    await waitUntil(
      async () =>
        (await rows("webhooks", { namespace_id: doomed.namespaceId })) === 0 &&
        (await rows("deliveries", { namespace_id: doomed.namespaceId })) === 0 &&
        (await rows("delivery_attempts", { webhook_id: { $in: doomed.webhookIds } })) === 0,
      20_000,
    );
    // Recreated under the same name, the namespace has none of the old webhooks.
    expect(
      (await platform.call("POST", "/v1/namespaces", { body: { namespace_name: "doomed-hooks" } })).status,
    ).toBe(201);
    expectErrorBody(
      await platform.call("GET", `/v1/webhooks/${doomedWebhook}`, { namespace: "doomed-hooks" }),
      404,
      "NotFoundError",
    );
    const listed = await platform.call<{ data: unknown[] }>("GET", "/v1/webhooks", {
      namespace: "doomed-hooks",
    });
    expect(listed.body.data).toEqual([]);

    // The other namespace keeps its webhooks, deliveries and attempts.
    expect(await rows("webhooks", { namespace_id: kept.namespaceId })).toBe(2);
    expect(await rows("deliveries", { namespace_id: kept.namespaceId })).toBe(2);
    expect(await rows("delivery_attempts", { webhook_id: { $in: kept.webhookIds } })).toBe(2);
    for (const id of kept.webhookIds) {
      expect((await platform.call("GET", `/v1/webhooks/${id}`, { namespace: "kept-hooks" })).status).toBe(
        200,
      );
    }
  });
});
