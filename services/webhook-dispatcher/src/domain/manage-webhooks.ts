import type { Caller } from "@strata/access";
import { listPage } from "@strata/docstore";
import { type AppError, badRequest, err, ok, type Result } from "@strata/errors";
import { newId } from "@strata/ids";
import type { WebhookPorts } from "./ports.js";
import { generateSigningSecret } from "./signing.js";
import { WEBHOOKS_TABLE, type WebhookRecord } from "./tables.js";
import { checkScope, resolveWebhook } from "./webhook-access.js";
import { checkWebhookFields } from "./webhook-input.js";

export interface CreateWebhookInput {
  readonly namespaceId: string;
  readonly name: string;
  readonly url: string;
  readonly events: readonly string[];
  readonly namespaces: readonly string[];
  readonly headers: Readonly<Record<string, string>>;
  readonly isActive: boolean | undefined;
  /** null or absent: unlimited. */
  readonly rateLimitPerSecond?: number | null | undefined;
}

/** Creates a webhook; the secret is answered here only, and stored sealed. */
export async function createWebhook(
  ports: WebhookPorts,
  caller: Caller,
  input: CreateWebhookInput,
): Promise<Result<{ webhook: WebhookRecord; secret: string }, AppError>> {
  const denied = checkScope(caller, input.namespaceId, "write");
  if (denied) return err(denied);
  if (input.namespaceId !== "" && input.namespaces.length > 0)
    return err(badRequest("'namespaces' narrows organization-wide webhooks only; leave out X-Namespace"));
  const invalid = checkWebhookFields(input, ports.refuseUrl);
  if (invalid) return err(invalid);
  const secret = generateSigningSecret();
  const now = ports.clock().toISOString();
  const webhook: WebhookRecord = {
    id: newId("webhook"),
    organization_id: caller.organizationId,
    namespace_id: input.namespaceId === "" ? null : input.namespaceId,
    namespaces: [...input.namespaces],
    name: input.name,
    url: input.url,
    events: [...new Set(input.events)],
    headers: { ...input.headers },
    rate_limit_per_second: input.rateLimitPerSecond ?? null,
    is_active: input.isActive ?? true,
    disabled_reason: null,
    secret_sealed: ports.sealer.seal(secret),
    previous_secret_sealed: null,
    previous_secret_until: null,
    failing_since: null,
    created_at: now,
    updated_at: now,
  };
  await ports.store.table<WebhookRecord>(WEBHOOKS_TABLE).insert(webhook);
  return ok({ webhook, secret });
}

export async function getWebhook(
  ports: WebhookPorts,
  caller: Caller,
  namespaceId: string,
  webhookId: string,
): Promise<Result<WebhookRecord, AppError>> {
  const denied = checkScope(caller, namespaceId, "read");
  if (denied) return err(denied);
  const found = await resolveWebhook(ports.store, caller, namespaceId, webhookId);
  return found.ok ? ok(found.value.record) : found;
}

export async function listWebhooks(
  ports: WebhookPorts,
  caller: Caller,
  request: { namespaceId: string; limit: number; cursor: string },
): Promise<Result<{ webhooks: WebhookRecord[]; nextCursor: string | null }, AppError>> {
  const denied = checkScope(caller, request.namespaceId, "read");
  if (denied) return err(denied);
  const limit = request.limit === 0 ? 20 : request.limit;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    return err(badRequest("limit must be between 1 and 100", { limit: request.limit }));
  const page = await listPage(ports.store.table<WebhookRecord>(WEBHOOKS_TABLE), {
    where: {
      organization_id: caller.organizationId,
      namespace_id: request.namespaceId === "" ? null : request.namespaceId,
    },
    limit,
    cursor: request.cursor === "" ? undefined : request.cursor,
    direction: "desc",
  });
  if (!page.ok) return err(badRequest("The cursor is invalid", { cursor: request.cursor }));
  return ok({ webhooks: page.value.records.map((v) => v.record), nextCursor: page.value.nextCursor });
}

export interface UpdateWebhookInput {
  readonly name?: string | undefined;
  readonly url?: string | undefined;
  readonly events?: readonly string[] | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly namespaces?: readonly string[] | undefined;
  /** true re-enables a disabled webhook and forgets its failures. */
  readonly isActive?: boolean | undefined;
  /** null removes the limit; absent leaves it. */
  readonly rateLimitPerSecond?: number | null | undefined;
}

export async function updateWebhook(
  ports: WebhookPorts,
  caller: Caller,
  scope: { namespaceId: string; webhookId: string },
  input: UpdateWebhookInput,
): Promise<Result<WebhookRecord, AppError>> {
  const denied = checkScope(caller, scope.namespaceId, "write");
  if (denied) return err(denied);
  if (scope.namespaceId !== "" && input.namespaces !== undefined)
    return err(badRequest("'namespaces' narrows organization-wide webhooks only"));
  const invalid = checkWebhookFields(input, ports.refuseUrl);
  if (invalid) return err(invalid);
  return ports.store.transaction(async (tx) => {
    const found = await resolveWebhook(tx, caller, scope.namespaceId, scope.webhookId);
    if (!found.ok) return found;
    const before = found.value.record;
    const reenabled = input.isActive === true && !before.is_active;
    const updated: WebhookRecord = {
      ...before,
      name: input.name ?? before.name,
      url: input.url ?? before.url,
      events: input.events === undefined ? before.events : [...new Set(input.events)],
      headers: input.headers ?? before.headers,
      namespaces: input.namespaces ?? before.namespaces,
      rate_limit_per_second:
        input.rateLimitPerSecond === undefined
          ? (before.rate_limit_per_second ?? null)
          : input.rateLimitPerSecond,
      is_active: input.isActive ?? before.is_active,
      disabled_reason: input.isActive === undefined ? before.disabled_reason : null,
      failing_since: reenabled ? null : before.failing_since,
      updated_at: ports.clock().toISOString(),
    };
    const written = await tx.table<WebhookRecord>(WEBHOOKS_TABLE).replace(updated, found.value.version);
    if (!written.ok) return err(badRequest("The webhook changed meanwhile; try again"));
    return ok(updated);
  });
}

export async function deleteWebhook(
  ports: WebhookPorts,
  caller: Caller,
  namespaceId: string,
  webhookId: string,
): Promise<Result<WebhookRecord, AppError>> {
  const denied = checkScope(caller, namespaceId, "write");
  if (denied) return err(denied);
  const found = await resolveWebhook(ports.store, caller, namespaceId, webhookId);
  if (!found.ok) return found;
  // Its deliveries go lazily: a claimed attempt finds no webhook and is dropped (run-attempt.ts).
  await ports.store.table<WebhookRecord>(WEBHOOKS_TABLE).delete(webhookId);
  return ok(found.value.record);
}

/** A new secret; the current one keeps signing beside it for the overlap window. */
export async function rotateSecret(
  ports: WebhookPorts,
  caller: Caller,
  namespaceId: string,
  webhookId: string,
): Promise<Result<{ webhook: WebhookRecord; secret: string; previousUntil: Date }, AppError>> {
  const denied = checkScope(caller, namespaceId, "write");
  if (denied) return err(denied);
  const secret = generateSigningSecret();
  const now = ports.clock();
  const previousUntil = new Date(now.getTime() + ports.settings.rotationOverlapMs);
  return ports.store.transaction(async (tx) => {
    const found = await resolveWebhook(tx, caller, namespaceId, webhookId);
    if (!found.ok) return found;
    const updated: WebhookRecord = {
      ...found.value.record,
      secret_sealed: ports.sealer.seal(secret),
      previous_secret_sealed: found.value.record.secret_sealed,
      previous_secret_until: previousUntil.toISOString(),
      updated_at: now.toISOString(),
    };
    const written = await tx.table<WebhookRecord>(WEBHOOKS_TABLE).replace(updated, found.value.version);
    if (!written.ok) return err(badRequest("The webhook changed meanwhile; try again"));
    return ok({ webhook: updated, secret, previousUntil });
  });
}
