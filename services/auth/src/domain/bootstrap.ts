import { err, ok } from "@strata/errors";
import { insertOrganization } from "./organizations.js";
import type { AuthPorts } from "./ports.js";
import { AUTH_META_TABLE, type BootstrapMarker, ORGANIZATIONS_TABLE } from "./tables.js";

export const BOOTSTRAP_ORGANIZATION_NAME = "default";
export const BOOTSTRAP_KEY_NAME = "bootstrap-admin";

/** What the operator receives on first start: the file holds exactly this JSON. */
export interface BootstrapCredentials {
  readonly organization_id: string;
  readonly api_key: string;
}

/** A secret written somewhere private but not yet visible under its final name. */
export interface PendingSecret {
  publish(): Promise<void>;
  discard(): Promise<void>;
}

/** Where the first admin key goes (a 0600 file in practice). */
export type SecretSink = (credentials: BootstrapCredentials) => Promise<PendingSecret>;

export interface BootstrapOutcome {
  readonly organizationId: string;
  readonly keyId: string;
}

/**
 * On a store with no organization, creates organization "default" with an admin key and hands the
 * secret to `sink`. The secret is written before the commit and published after it, so a committed
 * key always has its file and a rolled-back one never does. A marker row with a fixed id makes
 * replicas starting together create exactly one organization. Returns undefined when nothing was
 * done (data exists, or another replica did it).
 */
export async function bootstrapIfEmpty(
  ports: AuthPorts,
  sink: SecretSink,
): Promise<BootstrapOutcome | undefined> {
  if ((await ports.store.table(ORGANIZATIONS_TABLE).count()) > 0) return undefined;
  let pending: PendingSecret | undefined;
  try {
    const result = await ports.store.transaction<BootstrapOutcome, "already_bootstrapped">(async (tx) => {
      const now = ports.clock();
      const marker: BootstrapMarker = { id: "bootstrap", organization_id: "", created_at: now.toISOString() };
      const claimed = await tx.table<BootstrapMarker>(AUTH_META_TABLE).insert(marker);
      if (!claimed.ok) return err("already_bootstrapped");
      if ((await tx.table(ORGANIZATIONS_TABLE).count()) > 0) return err("already_bootstrapped");
      const created = await insertOrganization(
        ports,
        tx,
        BOOTSTRAP_ORGANIZATION_NAME,
        BOOTSTRAP_KEY_NAME,
        now,
      );
      const recorded = await tx
        .table<BootstrapMarker>(AUTH_META_TABLE)
        .replace({ ...marker, organization_id: created.organization.id }, 1);
      if (!recorded.ok) throw new Error("the bootstrap marker changed inside its own transaction");
      pending = await sink({ organization_id: created.organization.id, api_key: created.admin.secret });
      return ok({ organizationId: created.organization.id, keyId: created.admin.key.id });
    });
    if (!result.ok) {
      await pending?.discard();
      return undefined;
    }
    ports.eventsCommitted();
    await pending?.publish();
    return result.value;
  } catch (exception: unknown) {
    await pending?.discard();
    throw exception;
  }
}
