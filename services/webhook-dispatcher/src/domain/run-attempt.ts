import { randomUUID } from "node:crypto";
import { groupCommit } from "@strata/batching";
import type { DocStoreSession, Versioned } from "@strata/docstore";
import { ok } from "@strata/errors";
import type { TakenAttempt } from "./fan-out.js";
import type { DueAttempt, SendOutcome, WebhookPorts, WebhookSender } from "./ports.js";
import type { EndpointRateLimiter } from "./rate-limiter.js";
import { isSuccess, recordOutcome } from "./record-outcome.js";
import { signedHeaders } from "./signing.js";
import { DELIVERIES_TABLE, type DeliveryRecord, WEBHOOKS_TABLE, type WebhookRecord } from "./tables.js";

/** Per-endpoint admission in this replica: a busy endpoint's attempt waits, others go on. */
export interface EndpointSlots {
  /** Resolves true once a slot is held; false at once when too many already wait for this endpoint. */
  take(webhookId: string): Promise<boolean>;
  release(webhookId: string): void;
}

/** "limited": over the webhook's rate limit, put back in the store for its turn. */
export type AttemptResult = "sent" | "stale" | "dropped" | "deferred" | "limited";

type Taken =
  | { readonly kind: "stale" | "dropped" | "limited" }
  | { readonly kind: "ready"; readonly delivery: Versioned<DeliveryRecord>; readonly webhook: WebhookRecord };

interface Finished {
  readonly deliveryId: string;
  readonly takeId: string;
  readonly attempts: number;
  readonly outcome: SendOutcome;
}

/** Attempts taken or finished at the same time share one transaction (group commit). */
const ATTEMPTS_PER_COMMIT = 256;

/** What happened to a first attempt taken by the fan-out (fan-out.ts). */
export type TakenResult = "sent" | "deferred" | "expired";

export interface AttemptRunner {
  /** A due attempt from the work queue. */
  runDue(due: DueAttempt): Promise<AttemptResult>;
  /**
   * A first attempt this replica took when it fanned the event out: sent from here when its
   * endpoint admits it before its start deadline; otherwise ("deferred", "expired") not sent, and
   * the caller hands it to the work queue, whose worker takes it again (its version is unchanged).
   */
  runTaken(taken: TakenAttempt): Promise<TakenResult>;
}

/**
 * Sends due attempts whose queue item is still current: the delivery must still have the version
 * its claim gave it, and the worker first takes it (a new version, a claim covering the request
 * timeout) so that no scheduler re-enqueues it while the request runs. Then the request, signed
 * with every live secret, and its outcome recorded. The takes and the outcomes of concurrent
 * attempts are written in shared transactions, first attempts taken by the fan-out included.
 */
export function createAttemptRunner(
  ports: WebhookPorts,
  send: WebhookSender,
  slots: EndpointSlots,
  limiter: EndpointRateLimiter,
): AttemptRunner {
  const take = groupCommit(
    (items: readonly DueAttempt[]) => takeAttempts(ports, limiter, items),
    ATTEMPTS_PER_COMMIT,
  );
  const finish = groupCommit(
    (items: readonly Finished[]) => finishAttempts(ports, items),
    ATTEMPTS_PER_COMMIT,
  );
  const opened = new OpenedSecrets(ports);
  // The endpoint's slot is held for the request only: the outcome is written once it is free.
  const sendAndFinish = async (delivery: DeliveryRecord, webhook: WebhookRecord, releaseSlot: () => void) => {
    let outcome: SendOutcome;
    try {
      outcome = await send({
        url: webhook.url,
        headers: requestHeaders(ports, opened, webhook, delivery),
        body: delivery.payload,
        timeoutMs: ports.settings.requestTimeoutMs,
      });
    } finally {
      releaseSlot();
    }
    await finish({
      deliveryId: delivery.id,
      takeId: delivery.take_id ?? "",
      attempts: delivery.attempts,
      outcome,
    });
  };
  return {
    async runDue(due) {
      // A busy endpoint's attempt goes back to the queue untouched (the worker delays it there):
      // writing it back to the store would cost every busy round a write and a claim.
      if (!(await slots.take(due.webhookId))) return "deferred";
      const releaseSlot = once(() => slots.release(due.webhookId));
      try {
        const taken = await take(due);
        if (taken.kind !== "ready") return taken.kind;
        await sendAndFinish(taken.delivery.record, taken.webhook, releaseSlot);
        return "sent";
      } finally {
        releaseSlot();
      }
    },
    async runTaken({ delivery, webhook, startBy }) {
      if (!(await slots.take(webhook.id))) return "deferred";
      const releaseSlot = once(() => slots.release(webhook.id));
      try {
        // Started later, the request could outlive the take and meet a copy another replica sent.
        if (ports.clock().getTime() > startBy) return "expired";
        await sendAndFinish(delivery.record, webhook, releaseSlot);
        return "sent";
      } finally {
        releaseSlot();
      }
    },
  };
}

function once(action: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    action();
  };
}

/** One transaction: reads the batch's deliveries and webhooks, then takes (or settles) each. */
async function takeAttempts(
  ports: WebhookPorts,
  limiter: EndpointRateLimiter,
  items: readonly DueAttempt[],
): Promise<Taken[]> {
  const now = ports.clock();
  const takenUntil = new Date(now.getTime() + ports.settings.requestTimeoutMs + ports.settings.claimMs);
  const result = await ports.store.transaction(async (tx) => {
    const deliveries = tx.table<DeliveryRecord>(DELIVERIES_TABLE);
    const current = byId(await deliveries.find({ where: { id: { $in: items.map((i) => i.deliveryId) } } }));
    const webhooks = byId(
      await tx.table<WebhookRecord>(WEBHOOKS_TABLE).find({
        where: { id: { $in: [...new Set([...current.values()].map((d) => d.record.webhook_id))] } },
      }),
    );
    const taken: Taken[] = [];
    for (const due of items) {
      const found = current.get(due.deliveryId);
      if (found === undefined || found.version !== due.version || found.record.status !== "pending") {
        taken.push({ kind: "stale" });
        continue;
      }
      const outcome = await takeOne(tx, limiter, found, webhooks.get(found.record.webhook_id)?.record, {
        now,
        takenUntil,
      });
      // A second queue item for the same version in this batch finds the new version: stale.
      if (outcome.written !== undefined) current.set(due.deliveryId, outcome.written);
      taken.push(outcome.taken);
    }
    return ok(taken);
  });
  if (!result.ok) throw new Error("the take transaction failed");
  return result.value;
}

async function takeOne(
  tx: DocStoreSession,
  limiter: EndpointRateLimiter,
  found: Versioned<DeliveryRecord>,
  webhook: WebhookRecord | undefined,
  times: { readonly now: Date; readonly takenUntil: Date },
): Promise<{ taken: Taken; written?: Versioned<DeliveryRecord> }> {
  const deliveries = tx.table<DeliveryRecord>(DELIVERIES_TABLE);
  if (webhook === undefined) {
    // The webhook was deleted: its deliveries have nowhere to go.
    await deliveries.delete(found.record.id, found.version);
    return { taken: { kind: "dropped" } };
  }
  const at = times.now.toISOString();
  if (!webhook.is_active) {
    await deliveries.replace({ ...found.record, status: "failed", updated_at: at }, found.version);
    return { taken: { kind: "dropped" } };
  }
  const wait = limiter.admit(webhook.id, webhook.rate_limit_per_second ?? null, times.now.getTime());
  if (wait > 0) {
    // Over the limit: due again at its turn, from the store (no attempt is counted).
    const turn = new Date(times.now.getTime() + wait).toISOString();
    const written = await deliveries.replace({ ...found.record, next_attempt_at: turn }, found.version);
    return written.ok ? { taken: { kind: "limited" }, written: written.value } : { taken: { kind: "stale" } };
  }
  const written = await deliveries.replace(
    { ...found.record, next_attempt_at: times.takenUntil.toISOString(), take_id: randomUUID() },
    found.version,
  );
  if (!written.ok) return { taken: { kind: "stale" } };
  return { taken: { kind: "ready", delivery: written.value, webhook }, written: written.value };
}

/**
 * One transaction: each outcome recorded if the delivery is still the one its worker took (same
 * take, no attempt recorded since, still pending); deliveries and webhooks read again inside, each
 * batch's deliveries in one query and each webhook once unless an outcome may have changed it.
 */
async function finishAttempts(ports: WebhookPorts, items: readonly Finished[]): Promise<undefined[]> {
  const at = ports.clock();
  const appended = await ports.store.transaction(async (tx) => {
    const current = byId(
      await tx
        .table<DeliveryRecord>(DELIVERIES_TABLE)
        .find({ where: { id: { $in: [...new Set(items.map((i) => i.deliveryId))] } } }),
    );
    const webhooks = new Map<string, Versioned<WebhookRecord> | undefined>();
    let events = false;
    for (const item of items) {
      const delivery = current.get(item.deliveryId);
      if (
        delivery === undefined ||
        delivery.record.take_id !== item.takeId ||
        delivery.record.attempts !== item.attempts ||
        delivery.record.status !== "pending"
      )
        continue;
      // Recorded: a second outcome for it in this batch belongs to an older take.
      current.delete(item.deliveryId);
      const webhookId = delivery.record.webhook_id;
      const webhook = webhooks.has(webhookId)
        ? webhooks.get(webhookId)
        : await tx.table<WebhookRecord>(WEBHOOKS_TABLE).get(webhookId);
      if (webhook === undefined) continue;
      if (await recordOutcome(ports, tx, delivery, webhook, item.outcome, at)) events = true;
      // Only a success of a healthy webhook surely left it as it was (record-outcome.ts).
      const unchanged = isSuccess(item.outcome.statusCode) && webhook.record.failing_since === null;
      if (unchanged) webhooks.set(webhookId, webhook);
      else webhooks.delete(webhookId);
    }
    return ok(events);
  });
  if (!appended.ok) throw new Error("the outcome transaction failed");
  if (appended.value) ports.eventsCommitted();
  return items.map(() => undefined);
}

function byId<T extends { readonly id: string }>(found: readonly Versioned<T>[]): Map<string, Versioned<T>> {
  return new Map(found.map((v) => [v.record.id, v]));
}

/** Opening a sealed secret is an AES-GCM decryption: done once per sealed value, not per attempt. */
class OpenedSecrets {
  private readonly opened = new Map<string, string>();
  constructor(private readonly ports: WebhookPorts) {}
  open(sealed: string): string {
    let secret = this.opened.get(sealed);
    if (secret === undefined) {
      // Rotations leave old sealed values behind: forget everything now and then.
      if (this.opened.size >= 10_000) this.opened.clear();
      secret = this.ports.sealer.open(sealed);
      this.opened.set(sealed, secret);
    }
    return secret;
  }
}

function requestHeaders(
  ports: WebhookPorts,
  opened: OpenedSecrets,
  webhook: WebhookRecord,
  delivery: DeliveryRecord,
): Record<string, string> {
  const now = ports.clock();
  const secrets = [opened.open(webhook.secret_sealed)];
  if (
    webhook.previous_secret_sealed !== null &&
    webhook.previous_secret_until !== null &&
    Date.parse(webhook.previous_secret_until) > now.getTime()
  ) {
    secrets.push(opened.open(webhook.previous_secret_sealed));
  }
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    ...webhook.headers,
    "content-type": "application/json",
    "user-agent": "Strata-Webhooks/1",
    ...signedHeaders(secrets, delivery.event_id, timestamp, delivery.payload),
  };
}
