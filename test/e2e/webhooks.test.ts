import { randomBytes } from "node:crypto";
import { type NatsServerHandle, startNatsServer } from "@strata/testkit";
import { startTestReceiver, type TestReceiver } from "@strata/webhook-dispatcher/testing/receiver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectErrorBody, startTestPlatform, type TestPlatform, waitUntil } from "./harness.js";

/** Webhooks through the gateway: CRUD, errors, and a document.created delivered and verified. */
const URI = "strata://test@v1/embedding";
const NS = "hooked";
let nats: NatsServerHandle;
let platform: TestPlatform;
let receiver: TestReceiver;

type WebhookView = {
  webhook_id: string;
  webhook_name: string;
  namespace_id: string | null;
  url: string;
  events: string[];
  is_active: boolean;
  secret?: string;
};

const call = <T = Record<string, unknown>>(method: string, path: string, body?: unknown, namespace = NS) =>
  platform.call<T>(method, path, { namespace, ...(body === undefined ? {} : { body }) });

beforeAll(async () => {
  nats = await startNatsServer();
  receiver = await startTestReceiver();
  platform = await startTestPlatform({
    NATS_URL: nats.url,
    STRATA_INTERNAL_TOKEN: randomBytes(32).toString("hex"),
    STRATA_WEBHOOK_ALLOWED_CIDRS: "127.0.0.0/8",
    WEBHOOK_RETRY_SCHEDULE: "50ms,100ms",
    WEBHOOK_SCHEDULER_INTERVAL: "25ms",
  });
  const ns = await platform.call("POST", "/v1/namespaces", { body: { namespace_name: NS } });
  expect(ns.status).toBe(201);
  const collection = await call("POST", "/v1/collections", {
    collection_name: "items",
    features: [{ feature_uri: URI, dimensions: 2 }],
  });
  expect(collection.status).toBe(201);
}, 60_000);

afterAll(async () => {
  await platform?.stop();
  await receiver?.close();
  await nats?.stop();
});

describe("webhooks through the gateway", () => {
  it("creates a webhook in the X-Namespace namespace and answers its secret once", async () => {
    const created = await call<WebhookView>("POST", "/v1/webhooks", {
      webhook_name: "docs",
      url: `${receiver.url}/docs`,
      events: ["document.*"],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ webhook_name: "docs", events: ["document.*"], is_active: true });
    expect(created.body.secret).toMatch(/^whsec_/);
    receiver.secrets.set("docs", created.body.secret ?? "");
    const got = await call<WebhookView>("GET", `/v1/webhooks/${created.body.webhook_id}`);
    expect(got.status).toBe(200);
    expect(got.body.secret).toBeUndefined();
    const listed = await call<{ data: WebhookView[] }>("GET", "/v1/webhooks");
    expect(listed.body.data.map((w) => w.webhook_id)).toEqual([created.body.webhook_id]);
  });

  it("delivers document.created signed so that standardwebhooks verifies it", async () => {
    const doc = await call<{ document_id: string }>("POST", "/v1/collections/items/documents", {
      features: { [URI]: [1, 2] },
    });
    expect(doc.status).toBe(201);
    await waitUntil(async () => receiver.received.some((r) => r.path === "/docs"), 15_000);
    const [delivered] = receiver.received.filter((r) => r.path === "/docs");
    expect(delivered?.verifiedBy).toEqual(["docs"]);
    const event = JSON.parse(delivered?.body ?? "{}");
    expect(event).toMatchObject({ specversion: "1.0", type: "document.created" });
    expect(event.data.document_id).toBe(doc.body.document_id);
  });

  it("answers bad input with the documented error body", async () => {
    const privateUrl = await call("POST", "/v1/webhooks", {
      webhook_name: "inner",
      url: "http://10.1.2.3/hook",
      events: ["batch.*"],
    });
    expectErrorBody(privateUrl, 422, "ValidationError");
    const noEvents = await call("POST", "/v1/webhooks", { webhook_name: "x", url: receiver.url, events: [] });
    expectErrorBody(noEvents, 422, "ValidationError");
    const missing = await call("GET", "/v1/webhooks/wh_1111111111111111111111");
    expectErrorBody(missing, 404, "NotFoundError");
    const unknownNamespace = await call("GET", "/v1/webhooks", undefined, "nowhere");
    expectErrorBody(unknownNamespace, 404, "NotFoundError");
  });

  it("lets an admin key create an organization-wide webhook without X-Namespace", async () => {
    const created = await platform.call<WebhookView>("POST", "/v1/webhooks", {
      body: { webhook_name: "org", url: `${receiver.url}/org`, events: ["namespace.*"], namespaces: [NS] },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.namespace_id).toBeNull();
    const listed = await platform.call<{ data: WebhookView[] }>("GET", "/v1/webhooks");
    expect(listed.body.data.map((w) => w.webhook_name)).toEqual(["org"]);
  });

  it("rotates the secret, patches and deletes", async () => {
    const created = await call<WebhookView>("POST", "/v1/webhooks", {
      webhook_name: "temp",
      url: `${receiver.url}/temp`,
      events: ["batch.completed"],
    });
    const id = created.body.webhook_id;
    const rotated = await call<{ secret: string; previous_secret_expires_at: string }>(
      "POST",
      `/v1/webhooks/${id}/rotate-secret`,
    );
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(created.body.secret);
    const patched = await call<WebhookView>("PATCH", `/v1/webhooks/${id}`, { is_active: false });
    expect(patched.body.is_active).toBe(false);
    const emptyPatch = await call("PATCH", `/v1/webhooks/${id}`, {});
    expectErrorBody(emptyPatch, 422, "ValidationError");
    const deliveries = await call<{ data: unknown[] }>("GET", `/v1/webhooks/${id}/deliveries?status=failed`);
    expect(deliveries.status).toBe(200);
    expect(deliveries.body.data).toEqual([]);
    expect((await call("DELETE", `/v1/webhooks/${id}`)).status).toBe(200);
    expect((await call("GET", `/v1/webhooks/${id}`)).status).toBe(404);
  });

  it("sends a test event, lists the delivery log and replays a delivery", async () => {
    const [hook] = (await call<{ data: WebhookView[] }>("GET", "/v1/webhooks")).body.data.filter(
      (w) => w.webhook_name === "docs",
    );
    const id = hook?.webhook_id ?? "";
    const test = await call<{ delivery_id: string; status: string }>("POST", `/v1/webhooks/${id}/test`);
    expect(test.status, JSON.stringify(test.body)).toBe(202);
    await waitUntil(
      async () =>
        receiver.received.some((r) => r.path === "/docs" && JSON.parse(r.body).type === "webhook.test"),
      15_000,
    );
    type Log = {
      data: Array<{ delivery_id: string; status: string; attempts: Array<{ status_code: number }> }>;
    };
    let log: Log = { data: [] };
    await waitUntil(async () => {
      log = (await call<Log>("GET", `/v1/webhooks/${id}/deliveries?status=succeeded`)).body;
      return log.data.length === 2;
    }, 15_000);
    expect(log.data.every((d) => d.attempts[0]?.status_code === 200)).toBe(true);
    const replayed = await call<{ status: string }>(
      "POST",
      `/v1/webhooks/${id}/deliveries/${log.data[0]?.delivery_id}/replay`,
    );
    expect(replayed.status).toBe(202);
    expect(replayed.body.status).toBe("pending");
    const recovered = await call<{ recovered: number }>("POST", `/v1/webhooks/${id}/recover`, {
      since: new Date(0).toISOString(),
    });
    expect(recovered.body).toEqual({ recovered: 0 });
    expectErrorBody(
      await call("POST", `/v1/webhooks/${id}/recover`, { since: "yesterday" }),
      422,
      "ValidationError",
    );
  });
  it("drops a deleted namespace from the organization-wide webhooks narrowed to it", async () => {
    // The namespace's own webhooks and deliveries: webhook-namespace-deletion.test.ts.
    const doomed = await platform.call<{ namespace_id: string }>("POST", "/v1/namespaces", {
      body: { namespace_name: "doomed" },
    });
    expect(doomed.status).toBe(201);
    const namespaceId = doomed.body.namespace_id;
    const wide = await platform.call<WebhookView & { namespaces: string[] }>("POST", "/v1/webhooks", {
      body: {
        webhook_name: "wide",
        url: `${receiver.url}/wide`,
        events: ["batch.*"],
        namespaces: ["doomed", NS],
      },
    });
    expect(wide.status, JSON.stringify(wide.body)).toBe(201);
    expect(wide.body.namespaces).toContain(namespaceId);
    expect((await platform.call("DELETE", `/v1/namespaces/${namespaceId}`)).status).toBe(200);
    let after: WebhookView & { namespaces: string[] } = wide.body;
    await waitUntil(async () => {
      const got = await platform.call<WebhookView & { namespaces: string[] }>(
        "GET",
        `/v1/webhooks/${wide.body.webhook_id}`,
      );
      after = got.body;
      return got.status === 200 && !got.body.namespaces.includes(namespaceId);
    }, 15_000);
    // Still narrowed to the namespace that is left, and still active.
    expect(after.namespaces).toHaveLength(1);
    expect(after.is_active).toBe(true);
  });
});
