import type { Caller } from "@strata/access";
import type { AppError, Result } from "@strata/errors";
import { parseEvent } from "@strata/events";
import { callUnary, type UnaryInvoker } from "@strata/grpc";
import { newId } from "@strata/ids";
import type { webhookV1 } from "@strata/proto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WEBHOOK_WORK_STREAM } from "./adapters/nats/due-queue.js";
import { startTestReceiver, type TestReceiver } from "./testing/receiver.js";
import {
  adminOf,
  batchCompleted,
  batchFailed,
  type DispatcherHarness,
  eventually,
  publishEvents,
  readEventStream,
  startDispatcherHarness,
} from "./testing/service-harness.js";

let h: DispatcherHarness;
let receiver: TestReceiver;
const organizationId = newId("organization");
const admin: Caller = adminOf(organizationId);

function call<Req, Res>(
  method: (client: webhookV1.WebhookServiceClient) => UnaryInvoker<Req, Res>,
  request: Req,
  caller: Caller = admin,
): Promise<Result<Res, AppError>> {
  return callUnary(method(h.client).bind(h.client), request, { caller });
}

async function createWebhook(namespaceId: string, overrides: Partial<webhookV1.CreateWebhookRequest> = {}) {
  const created = await call((c) => c.createWebhook, {
    namespaceId,
    webhookName: "hook",
    url: `${receiver.url}/${namespaceId}`,
    events: ["batch.*"],
    namespaces: [],
    headers: {},
    ...overrides,
  });
  if (!created.ok || created.value.webhook === undefined) throw new Error(JSON.stringify(created));
  return { webhook: created.value.webhook, secret: created.value.secret };
}

beforeAll(async () => {
  h = await startDispatcherHarness();
  receiver = await startTestReceiver();
});

afterEach(() => {
  receiver.answer = () => ({ status: 200 });
  receiver.secrets.clear();
});

afterAll(async () => {
  await receiver?.close();
  await h?.close();
});

const to = (path: string) => receiver.received.filter((r) => r.path === path);

describe("webhook dispatcher", () => {
  // First, while no retry of another test can use the work queue.
  it("sends a burst's first attempts from the fan-out, none of them through the work queue", async () => {
    const ns = newId("namespace");
    await createWebhook(ns, { events: ["batch.completed"] });
    const jsm = await h.nc.jetstreamManager();
    const queuedBefore = (await jsm.streams.info(WEBHOOK_WORK_STREAM)).state.last_seq;
    // Three times the send window (64): events keep waiting for room while earlier ones are sent.
    const events = Array.from({ length: 200 }, () => batchCompleted(organizationId, ns));
    await publishEvents(h.nc, events);
    await eventually(() => (to(`/${ns}`).length >= events.length ? true : undefined), 30_000);
    expect(new Set(to(`/${ns}`).map((r) => r.headers["webhook-id"])).size).toBe(events.length);
    // Events let in at the same moment each hold a place (ADR 0044), so none is deferred to the
    // queue; before, 54–75 of these 200 were. An attempt held past the window's 1 s (a stalled
    // machine) rightly stops counting and may let a few more in: hence "nearly none".
    const queued = (await jsm.streams.info(WEBHOOK_WORK_STREAM)).state.last_seq - queuedBefore;
    expect(queued).toBeLessThanOrEqual(events.length / 20);
  });

  it("creates, reads, lists, updates and deletes webhooks; the secret is answered once and never again", async () => {
    const ns = newId("namespace");
    const { webhook, secret } = await createWebhook(ns, { headers: { "x-team": "a" } });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(webhook).toMatchObject({
      namespaceId: ns,
      webhookName: "hook",
      events: ["batch.*"],
      isActive: true,
    });
    const got = await call((c) => c.getWebhook, { namespaceId: ns, webhookId: webhook.webhookId });
    expect(got.ok && got.value.webhook?.headers).toEqual({ "x-team": "a" });
    expect(JSON.stringify(got)).not.toContain(secret.slice(6));
    const listed = await call((c) => c.listWebhooks, { namespaceId: ns, limit: 0, cursor: "" });
    expect(listed.ok && listed.value.webhooks.map((w) => w.webhookId)).toEqual([webhook.webhookId]);
    const updated = await call((c) => c.updateWebhook, {
      namespaceId: ns,
      webhookId: webhook.webhookId,
      isActive: false,
      events: ["batch.completed"],
      hasEvents: true,
      headers: {},
      hasHeaders: false,
      namespaces: [],
      hasNamespaces: false,
    });
    expect(updated.ok && updated.value.webhook).toMatchObject({
      isActive: false,
      events: ["batch.completed"],
    });
    const other = await call((c) => c.getWebhook, {
      namespaceId: newId("namespace"),
      webhookId: webhook.webhookId,
    });
    expect(!other.ok && other.error.kind).toBe("not_found");
    const deleted = await call((c) => c.deleteWebhook, { namespaceId: ns, webhookId: webhook.webhookId });
    expect(deleted.ok).toBe(true);
    const gone = await call((c) => c.getWebhook, { namespaceId: ns, webhookId: webhook.webhookId });
    expect(!gone.ok && gone.error.kind).toBe("not_found");
  });

  it("refuses bad input and literal blocked addresses with validation errors", async () => {
    const ns = newId("namespace");
    for (const url of [
      "http://10.0.0.1/x",
      "http://169.254.169.254/latest",
      "http://[::1]/",
      "http://[fd00::1]/",
      "ftp://example.com/",
    ]) {
      const refused = await call((c) => c.createWebhook, {
        namespaceId: ns,
        webhookName: "bad",
        url,
        events: ["batch.*"],
        namespaces: [],
        headers: {},
      });
      expect(!refused.ok && refused.error.kind, url).toBe("validation");
    }
    const badEvents = await call((c) => c.createWebhook, {
      namespaceId: ns,
      webhookName: "bad",
      url: receiver.url,
      events: ["Batch completed!"],
      namespaces: [],
      headers: { "webhook-id": "forged" },
    });
    expect(!badEvents.ok && badEvents.error.details).toMatchObject({
      validation_errors: [{ location: "body.events[0]" }, { location: "body.headers.webhook-id" }],
    });
    const internal = await call((c) => c.createWebhook, {
      namespaceId: ns,
      webhookName: "internal",
      url: receiver.url,
      events: ["batch.*", "document.accessed"],
      namespaces: [],
      headers: {},
    });
    expect(!internal.ok && internal.error.details).toMatchObject({
      validation_errors: [
        { location: "body.events[1]", message: "'document.accessed' is internal: no webhook receives it" },
      ],
    });
    const reader: Caller = { ...admin, permissions: ["read"], namespaces: [ns] };
    const orgWide = await call(
      (c) => c.createWebhook,
      { namespaceId: "", webhookName: "o", url: receiver.url, events: ["*"], namespaces: [], headers: {} },
      reader,
    );
    expect(!orgWide.ok && orgWide.error.kind).toBe("forbidden");
  });

  it("delivers the CloudEvent signed per Standard Webhooks, with the custom headers, only to subscribers", async () => {
    const ns = newId("namespace");
    const { secret } = await createWebhook(ns, { events: ["batch.completed"], headers: { "x-team": "a" } });
    receiver.secrets.set("current", secret);
    const event = batchCompleted(organizationId, ns);
    await publishEvents(h.nc, [
      batchFailed(organizationId, ns),
      event,
      batchCompleted(organizationId, newId("namespace")),
    ]);
    const [delivered] = await eventually(() => (to(`/${ns}`).length > 0 ? to(`/${ns}`) : undefined));
    expect(delivered?.verifiedBy).toEqual(["current"]);
    expect(delivered?.headers["webhook-id"]).toBe(event.id);
    expect(delivered?.headers["x-team"]).toBe("a");
    expect(JSON.parse(delivered?.body ?? "")).toEqual(event);
    // The batch.failed and the other namespace's event never come: wait for a later delivery.
    await publishEvents(h.nc, [batchCompleted(organizationId, ns)]);
    await eventually(() => (to(`/${ns}`).length === 2 ? true : undefined));
    expect(to(`/${ns}`).map((r) => JSON.parse(r.body).type)).toEqual(["batch.completed", "batch.completed"]);
  });

  it("retries failures (5xx, timeouts, resets) with the same webhook-id until a 2xx, and logs every attempt", async () => {
    const ns = newId("namespace");
    const { webhook, secret } = await createWebhook(ns);
    receiver.secrets.set("current", secret);
    const script: Array<ReturnType<TestReceiver["answer"]>> = [
      { status: 500 },
      { status: 0, behaviour: "reset" },
      { status: 503, headers: { "retry-after": "0" } },
    ];
    receiver.answer = ({ path }) =>
      path === `/${ns}` ? (script.shift() ?? { status: 200 }) : { status: 200 };
    const event = batchCompleted(organizationId, ns);
    await publishEvents(h.nc, [event]);
    await eventually(() => (to(`/${ns}`).some((r) => r.status === 200) ? true : undefined));
    const attempts = to(`/${ns}`);
    expect(attempts.map((r) => r.status)).toEqual([500, 0, 503, 200]);
    expect(new Set(attempts.map((r) => r.headers["webhook-id"]))).toEqual(new Set([event.id]));
    expect(attempts.every((r) => r.verifiedBy.includes("current"))).toBe(true);
    const log = await eventually(async () => {
      const listed = await call((c) => c.listDeliveries, {
        namespaceId: ns,
        webhookId: webhook.webhookId,
        status: "succeeded",
        limit: 0,
        cursor: "",
      });
      return listed.ok && listed.value.deliveries.length === 1 ? listed.value.deliveries[0] : undefined;
    });
    expect(log?.attemptCount).toBe(4);
    expect(log?.attempts.map((a) => a.statusCode)).toEqual([500, 0, 503, 200]);
    expect(log?.attempts[1]?.error).not.toBe("");
    expect(log?.attempts[3]?.responseExcerpt).toBe("ok");
  });

  it("gives up after the schedule, and 410 Gone disables the webhook with webhook.disabled", async () => {
    const ns = newId("namespace");
    const { webhook } = await createWebhook(ns);
    receiver.answer = ({ path }) => (path === `/${ns}` ? { status: 410 } : { status: 200 });
    await publishEvents(h.nc, [batchCompleted(organizationId, ns)]);
    const disabled = await eventually(async () => {
      const events = await readEventStream(h.nc);
      return events.find((e) => e.type === "webhook.disabled" && e.data.webhook_id === webhook.webhookId);
    });
    expect(disabled?.data).toMatchObject({
      reason: "gone",
      organization_id: organizationId,
      namespace_id: ns,
    });
    const got = await call((c) => c.getWebhook, { namespaceId: ns, webhookId: webhook.webhookId });
    expect(got.ok && got.value.webhook).toMatchObject({ isActive: false, disabledReason: "gone" });
    expect(to(`/${ns}`)).toHaveLength(1);
  });

  it("signs with both secrets during a rotation's overlap", async () => {
    const ns = newId("namespace");
    const { webhook, secret } = await createWebhook(ns);
    const rotated = await call((c) => c.rotateSecret, { namespaceId: ns, webhookId: webhook.webhookId });
    if (!rotated.ok) throw new Error("rotate failed");
    expect(rotated.value.secret).not.toBe(secret);
    receiver.secrets.set("old", secret);
    receiver.secrets.set("new", rotated.value.secret);
    await publishEvents(h.nc, [batchCompleted(organizationId, ns)]);
    const [delivered] = await eventually(() => (to(`/${ns}`).length > 0 ? to(`/${ns}`) : undefined));
    expect(delivered?.verifiedBy).toEqual(["old", "new"]);
    expect(String(delivered?.headers["webhook-signature"]).split(" ")).toHaveLength(2);
  });

  it("records a name that does not resolve as a failed attempt with its error", async () => {
    const ns = newId("namespace");
    const { webhook } = await createWebhook(ns, { url: `http://metadata.invalid.localhost.test:1/` });
    await publishEvents(h.nc, [batchCompleted(organizationId, ns)]);
    const log = await eventually(async () => {
      const listed = await call((c) => c.listDeliveries, {
        namespaceId: ns,
        webhookId: webhook.webhookId,
        status: "",
        limit: 0,
        cursor: "",
      });
      const first = listed.ok ? listed.value.deliveries[0] : undefined;
      return first !== undefined && first.attempts.length > 0 ? first : undefined;
    });
    expect(log?.attempts[0]?.statusCode).toBe(0);
    expect(log?.attempts[0]?.error).not.toBe("");
  });

  it("replays a failed delivery, recovers failed ones since a time, and sends a test event", async () => {
    const ns = newId("namespace");
    const { webhook, secret } = await createWebhook(ns);
    receiver.secrets.set("current", secret);
    receiver.answer = ({ path }) => ({ status: path === `/${ns}` ? 500 : 200 });
    const since = new Date(Date.now() - 1000);
    await publishEvents(h.nc, [batchCompleted(organizationId, ns), batchCompleted(organizationId, ns)]);
    const list = async (status: string) => {
      const listed = await call((c) => c.listDeliveries, {
        namespaceId: ns,
        webhookId: webhook.webhookId,
        status,
        limit: 0,
        cursor: "",
      });
      return listed.ok ? listed.value.deliveries : [];
    };
    // The schedule (immediately, then 3 retries) is used up: both fail, four attempts each.
    const failed = await eventually(async () => {
      const found = await list("failed");
      return found.length === 2 ? found : undefined;
    });
    expect(failed.map((d) => d.attemptCount)).toEqual([4, 4]);
    receiver.answer = () => ({ status: 200 });
    const replayed = await call((c) => c.replayDelivery, {
      namespaceId: ns,
      webhookId: webhook.webhookId,
      deliveryId: failed[0]?.deliveryId ?? "",
    });
    expect(replayed.ok && replayed.value.delivery?.status).toBe("pending");
    await eventually(async () => ((await list("succeeded")).length === 1 ? true : undefined));
    const recovered = await call((c) => c.recoverFailed, {
      namespaceId: ns,
      webhookId: webhook.webhookId,
      since,
    });
    expect(recovered.ok && recovered.value.recovered).toBe(1);
    await eventually(async () => ((await list("succeeded")).length === 2 ? true : undefined));
    const tested = await call((c) => c.sendTest, { namespaceId: ns, webhookId: webhook.webhookId });
    expect(tested.ok).toBe(true);
    const test = await eventually(() =>
      to(`/${ns}`).find((r) => r.status === 200 && JSON.parse(r.body).type === "webhook.test"),
    );
    expect(test.verifiedBy).toEqual(["current"]);
    // A catalogued event like the others: its envelope and data pass the catalogue's validation.
    const parsed = parseEvent(test.body);
    expect(parsed.ok && parsed.event.type).toBe("webhook.test");
    expect(parsed.ok && parsed.event.data).toMatchObject({ webhook_id: webhook.webhookId });
    const missing = await call((c) => c.replayDelivery, {
      namespaceId: ns,
      webhookId: webhook.webhookId,
      deliveryId: "whd_1111111111111111111111",
    });
    expect(!missing.ok && missing.error.kind).toBe("not_found");
  });
});
