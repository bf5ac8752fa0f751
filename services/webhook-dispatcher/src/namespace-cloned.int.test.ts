import { ensureEventStream } from "@strata/bus";
import type { AppError, Result } from "@strata/errors";
import { subjectOf } from "@strata/events";
import { callUnary, type RunningGrpcServer, type UnaryInvoker } from "@strata/grpc";
import { cloneIdOf, newId } from "@strata/ids";
import type { webhookV1 } from "@strata/proto";
import { namespaceClonedEvent } from "@strata/service-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NamespaceDirectory } from "./testing/namespace-directory.js";
import { startTestReceiver, type TestReceiver } from "./testing/receiver.js";
import {
  adminOf,
  type DispatcherHarness,
  eventually,
  INTERNAL_TOKEN,
  publishEvents,
  startDispatcherHarness,
} from "./testing/service-harness.js";

// namespace.cloned with include_webhooks → the source's namespace webhooks are copied, inactive,
// each with a new secret (ADR 0030). The tests publish the event the namespace service sends.

const ORG = newId("organization");
const admin = adminOf(ORG);
const directory = new NamespaceDirectory();
let directoryServer: RunningGrpcServer;
let h: DispatcherHarness;
let receiver: TestReceiver;

function call<Req, Res>(
  method: (client: webhookV1.WebhookServiceClient) => UnaryInvoker<Req, Res>,
  request: Req,
  caller = admin,
): Promise<Result<Res, AppError>> {
  return callUnary(method(h.client).bind(h.client), request, { caller });
}

function must<T>(result: Result<T, AppError>): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

async function createWebhook(
  namespaceId: string,
  name: string,
  extra: Partial<webhookV1.CreateWebhookRequest> = {},
  caller = admin,
) {
  const created = must(
    await call(
      (c) => c.createWebhook,
      {
        namespaceId,
        webhookName: name,
        url: `${receiver.url}/${name}`,
        events: ["batch.*"],
        namespaces: [],
        headers: {},
        ...extra,
      },
      caller,
    ),
  );
  return { webhook: created.webhook, secret: created.secret };
}

const webhooksOf = async (namespaceId: string) =>
  must(await call((c) => c.listWebhooks, { namespaceId, limit: 100, cursor: "" })).webhooks;

const clonedEvent = (source: string, clone: string, includeWebhooks = true) =>
  namespaceClonedEvent(ORG, source, clone, includeWebhooks);

/** Clones the source into a fresh namespace and waits for its webhooks: the events before it are handled. */
async function cloneAndWait(source: string, count: number): Promise<string> {
  const clone = directory.add(ORG);
  await publishEvents(h.nc, [clonedEvent(source, clone)]);
  await eventually(async () => ((await webhooksOf(clone)).length === count ? true : undefined));
  return clone;
}

let source = "";
let sourceSecret = "";
let elsewhere = "";

beforeAll(async () => {
  directoryServer = await directory.serve(INTERNAL_TOKEN);
  h = await startDispatcherHarness({ NAMESPACE_GRPC_URL: directoryServer.address });
  receiver = await startTestReceiver();
  await ensureEventStream(h.nc);
  source = directory.add(ORG);
  elsewhere = directory.add(ORG);
  const first = await createWebhook(source, "search", {
    headers: { "x-team": "search" },
    rateLimitPerSecond: 5,
  });
  sourceSecret = first.secret;
  await createWebhook(source, "docs", { events: ["document.created", "document.deleted"] });
  // Not the source's own: an organization-wide webhook and another namespace's.
  await createWebhook("", "everything");
  await createWebhook(elsewhere, "elsewhere");
});
afterAll(async () => {
  await receiver?.close();
  await h?.close();
  await directoryServer?.shutdown(0);
});

describe("namespace.cloned in the webhook dispatcher", () => {
  it("copies the source namespace's webhooks inactive, with the same url, events, headers and rate limit", async () => {
    const clone = await cloneAndWait(source, 2);
    const sources = await webhooksOf(source);
    const copies = await webhooksOf(clone);
    expect(copies.map((w) => w.webhookId).sort()).toEqual(
      sources.map((w) => cloneIdOf("webhook", { namespaceId: clone }, w.webhookId)).sort(),
    );
    for (const original of sources) {
      const copy = copies.find((w) => w.webhookName === original.webhookName);
      expect(copy).toMatchObject({
        namespaceId: clone,
        url: original.url,
        events: original.events,
        headers: original.headers,
        rateLimitPerSecond: original.rateLimitPerSecond,
        isActive: false,
        disabledReason: "",
      });
    }
    // The source's stay active; the organization-wide webhook is not copied (it covers the clone).
    expect(sources.every((w) => w.isActive)).toBe(true);
    expect((await webhooksOf("")).map((w) => w.webhookName)).toEqual(["everything"]);
  });

  it("signs the copy with its own secret, never the source's", async () => {
    const clone = await cloneAndWait(source, 2);
    const copy = (await webhooksOf(clone)).find((w) => w.webhookName === "search");
    const webhookId = copy?.webhookId ?? "";
    // The copy's secret was never answered to anyone: a rotation hands the owner a known one.
    const rotated = must(await call((c) => c.rotateSecret, { namespaceId: clone, webhookId }));
    receiver.secrets.set("source", sourceSecret);
    receiver.secrets.set("clone", rotated.secret);
    const activate = { namespaceId: clone, webhookId, isActive: true, hasEvents: false, hasHeaders: false };
    must(
      await call((c) => c.updateWebhook, {
        ...activate,
        events: [],
        headers: {},
        namespaces: [],
        hasNamespaces: false,
      }),
    );
    must(await call((c) => c.sendTest, { namespaceId: clone, webhookId }));
    const arrived = await eventually(() => receiver.received.find((r) => r.body.includes(webhookId)));
    expect(arrived.verifiedBy).toEqual(["clone"]);
    expect(arrived.headers["x-team"]).toBe("search");
  });

  it("copies nothing when the clone did not ask for webhooks, nothing twice on a redelivery", async () => {
    const withoutWebhooks = directory.add(ORG);
    const redelivered = directory.add(ORG);
    const event = clonedEvent(source, redelivered);
    await publishEvents(h.nc, [event]);
    await eventually(async () => ((await webhooksOf(redelivered)).length === 2 ? true : undefined));
    await publishEvents(h.nc, [clonedEvent(source, withoutWebhooks, false)]);
    // The redelivery: the same event once more, as a relay resending it past the duplicate window.
    await h.nc.jetstream().publish(subjectOf(event), JSON.stringify(event), { msgID: `${event.id}-again` });
    // The consumer takes events in order: once a later clone is copied, these were handled.
    await cloneAndWait(source, 2);
    expect(await webhooksOf(withoutWebhooks)).toEqual([]);
    expect(await webhooksOf(redelivered)).toHaveLength(2);
  });

  it("copies nothing from a namespace without webhooks or from another organization's", async () => {
    const empty = directory.add(ORG);
    const stranger = newId("organization");
    const foreign = directory.add(stranger);
    await createWebhook(foreign, "foreign", {}, adminOf(stranger));
    const emptyClone = directory.add(ORG);
    const foreignClone = directory.add(ORG);
    await publishEvents(h.nc, [clonedEvent(empty, emptyClone), clonedEvent(foreign, foreignClone)]);
    await cloneAndWait(source, 2);
    expect(await webhooksOf(emptyClone)).toEqual([]);
    expect(await webhooksOf(foreignClone)).toEqual([]);
  });
});
