import { ok } from "@strata/errors";
import type { ManifestPorts } from "./ports.js";
import { LOCKS_TABLE, type LockRecord } from "./tables.js";

const POLL_MS = 50;

export interface HeldLock {
  release(): Promise<void>;
}

/**
 * Takes the namespace's apply lease in the store, so two applies never interleave, also across
 * replicas; a replica that died holding it loses it when the lease runs out. Renewed while held.
 * Answers undefined when another apply still holds it after `lockWaitMs`.
 */
export async function acquireApplyLock(
  ports: ManifestPorts,
  namespaceId: string,
): Promise<HeldLock | undefined> {
  const table = ports.store.table<LockRecord>(LOCKS_TABLE);
  const lease = (): LockRecord => ({
    id: namespaceId,
    holder: ports.holder,
    expires_at: new Date(ports.clock().getTime() + ports.leaseMs).toISOString(),
  });
  const giveUpAt = Date.now() + ports.lockWaitMs;
  for (;;) {
    const inserted = await table.insert(lease());
    let taken = inserted.ok;
    if (!taken) {
      const current = await table.get(namespaceId);
      if (current === undefined) continue;
      if (current.record.expires_at <= ports.clock().toISOString())
        taken = (await table.replace(lease(), current.version)).ok;
    }
    if (taken) return heldLock(ports, namespaceId, lease);
    if (Date.now() >= giveUpAt) return undefined;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function heldLock(ports: ManifestPorts, namespaceId: string, lease: () => LockRecord): HeldLock {
  const table = ports.store.table<LockRecord>(LOCKS_TABLE);
  const renew = setInterval(() => {
    void ports.store.transaction(async (tx) => {
      const lockTable = tx.table<LockRecord>(LOCKS_TABLE);
      const current = await lockTable.get(namespaceId);
      if (current?.record.holder === ports.holder) await lockTable.replace(lease(), current.version);
      return ok(undefined);
    });
  }, ports.leaseMs / 3);
  renew.unref();
  return {
    async release() {
      clearInterval(renew);
      const current = await table.get(namespaceId);
      if (current?.record.holder === ports.holder) await table.delete(namespaceId, current.version);
    },
  };
}
