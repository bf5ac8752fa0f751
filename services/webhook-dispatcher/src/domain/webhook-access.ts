import { type Caller, canReachNamespace, hasPermission, type Permission } from "@strata/access";
import type { DocStoreSession, Versioned } from "@strata/docstore";
import { type AppError, err, forbidden, notFound, ok, type Result } from "@strata/errors";
import { WEBHOOKS_TABLE, type WebhookRecord } from "./tables.js";

/**
 * The scope a call names: a namespace (the caller must reach it), or none = the organization's
 * webhooks, which only an admin key manages.
 */
export function checkScope(caller: Caller, namespaceId: string, needed: Permission): AppError | undefined {
  if (namespaceId === "") {
    return hasPermission(caller, "admin") && caller.namespaces.length === 0
      ? undefined
      : forbidden("Organization-wide webhooks need an admin key for every namespace; send X-Namespace");
  }
  if (!hasPermission(caller, needed)) return forbidden(`This key lacks the '${needed}' permission`);
  if (!canReachNamespace(caller, namespaceId)) return forbidden("This key cannot reach the namespace");
  return undefined;
}

/** A webhook of the caller's organization in the named scope (a namespace, or organization-wide). */
export async function resolveWebhook(
  session: DocStoreSession,
  caller: Caller,
  namespaceId: string,
  webhookId: string,
): Promise<Result<Versioned<WebhookRecord>, AppError>> {
  const found = await session.table<WebhookRecord>(WEBHOOKS_TABLE).get(webhookId);
  if (
    found === undefined ||
    found.record.organization_id !== caller.organizationId ||
    (found.record.namespace_id ?? "") !== namespaceId
  ) {
    return err(notFound("webhook", webhookId));
  }
  return ok(found);
}
