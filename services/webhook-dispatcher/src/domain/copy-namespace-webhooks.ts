import { insertOnce } from "@strata/docstore";
import { cloneIdOf } from "@strata/ids";
import type { WebhookPorts } from "./ports.js";
import { generateSigningSecret } from "./signing.js";
import { WEBHOOKS_TABLE, type WebhookRecord } from "./tables.js";

type CopyPorts = Pick<WebhookPorts, "store" | "clock" | "sealer">;

/** A namespace.cloned event as the dispatcher reads it. */
export interface WebhookClone {
  readonly organizationId: string;
  readonly sourceNamespaceId: string;
  /** The clone. */
  readonly namespaceId: string;
  /** Copy nothing unless the caller asked for the webhooks. */
  readonly includeWebhooks: boolean;
}

/**
 * Copies the source namespace's own webhooks into its clone when the clone asked for them
 * (ADR 0030): inactive, since they point at outside systems that expect the source's events, and
 * each with a new signing secret, never the source's (the clone's secret is learnt by rotating it).
 * Organization-wide webhooks are not copied: one left unnarrowed covers the clone already, and one
 * narrowed to a list of namespaces was given that list by its owner. One record at a time with
 * derived ids, so a redelivery or a crash between records writes nothing twice.
 */
export async function copyNamespaceWebhooks(
  ports: CopyPorts,
  clone: WebhookClone,
): Promise<{ readonly webhooks: number; readonly present: number }> {
  const counts = { webhooks: 0, present: 0 };
  if (!clone.includeWebhooks) return counts;
  const table = ports.store.table<WebhookRecord>(WEBHOOKS_TABLE);
  const sources = await table.find({
    where: { organization_id: clone.organizationId, namespace_id: clone.sourceNamespaceId },
    orderBy: [{ field: "created_at", direction: "asc" }],
  });
  for (const { record } of sources) {
    const outcome = await insertOnce(table, webhookCopy(ports, clone, record));
    // The webhooks table has no unique field besides the id: a copy is new or there already.
    counts[outcome === "inserted" ? "webhooks" : "present"] += 1;
  }
  return counts;
}

function webhookCopy(ports: CopyPorts, clone: WebhookClone, source: WebhookRecord): WebhookRecord {
  const now = ports.clock().toISOString();
  return {
    ...source,
    id: cloneIdOf("webhook", clone, source.id),
    organization_id: clone.organizationId,
    namespace_id: clone.namespaceId,
    is_active: false,
    disabled_reason: null,
    secret_sealed: ports.sealer.seal(generateSigningSecret()),
    previous_secret_sealed: null,
    previous_secret_until: null,
    failing_since: null,
    created_at: now,
    updated_at: now,
  };
}
