import { ok } from "@strata/errors";
import type { ColdRead } from "./access-aggregator.js";
import { recordTier } from "./access-rows.js";
import type { TieringPorts } from "./ports.js";

/**
 * Cold documents read directly go back to hot (reason `read`), whatever the policy: a document
 * someone opens is not cold. Grouped per namespace, in batches; a failed call is left for the
 * next read (the namespace service serves cold reads meanwhile).
 */
export async function promoteColdReads(ports: TieringPorts, reads: readonly ColdRead[]): Promise<number> {
  const byNamespace = new Map<string, ColdRead[]>();
  for (const read of reads) {
    const list = byNamespace.get(read.namespaceId) ?? [];
    list.push(read);
    byNamespace.set(read.namespaceId, list);
  }
  let moved = 0;
  for (const [namespaceId, list] of byNamespace) {
    for (let i = 0; i < list.length; i += ports.settings.batchSize) {
      const batch = list.slice(i, i + ports.settings.batchSize);
      const organizationId = batch[0]?.organizationId ?? "";
      const answered = await ports.mover.moveDocuments(
        organizationId,
        namespaceId,
        batch.map((r) => ({ ...r, targetTier: "hot", expectedTier: "cold" })),
        "read",
      );
      if (!answered.ok) continue;
      const changedAt = ports.clock().toISOString();
      await ports.store.transaction(async (tx) => {
        for (const [j, answer] of answered.value.entries()) {
          const read = batch[j];
          if (read === undefined || (answer.outcome !== "moved" && answer.outcome !== "unchanged")) continue;
          await recordTier(tx, read, answer.tier ?? "hot", changedAt);
          if (answer.outcome === "moved") moved++;
        }
        return ok(undefined);
      });
    }
  }
  return moved;
}
