import type { DocStore } from "@strata/docstore";
import { err, ok } from "@strata/errors";
import { LEASES_TABLE, type LeaseRecord } from "./tables.js";

/**
 * Takes or renews the sweep lease of a namespace for `holder` (compare-and-set in the store), so
 * two replicas never run a namespace's sweep at once. False when another holder's lease is live.
 * Leases run on real time: the injectable clock moves policy time, not replicas' liveness.
 */
export async function takeLease(
  store: DocStore,
  namespaceId: string,
  holder: string,
  leaseMs: number,
): Promise<boolean> {
  const now = Date.now();
  const taken = await store.transaction(async (tx) => {
    const table = tx.table<LeaseRecord>(LEASES_TABLE);
    const record: LeaseRecord = {
      id: namespaceId,
      holder,
      expires_at: new Date(now + leaseMs).toISOString(),
    };
    const found = await table.get(namespaceId);
    if (found === undefined) {
      const inserted = await table.insert(record);
      return inserted.ok ? ok(true) : err("taken");
    }
    if (found.record.holder !== holder && Date.parse(found.record.expires_at) > now) return err("taken");
    const replaced = await table.replace(record, found.version);
    return replaced.ok ? ok(true) : err("taken");
  });
  return taken.ok;
}

export async function releaseLease(store: DocStore, namespaceId: string, holder: string): Promise<void> {
  const table = store.table<LeaseRecord>(LEASES_TABLE);
  const found = await table.get(namespaceId);
  if (found?.record.holder === holder) await table.delete(namespaceId, found.version);
}
