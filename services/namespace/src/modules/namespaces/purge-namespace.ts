import { type AppError, ok, type Result } from "@strata/errors";
import type { PurgeCounts, PurgeStep } from "../../shared/purge-step.js";

/** How many records of each kind the purge removed: collections, documents, buckets, taxonomies, batches. */
export type PurgedNamespace = PurgeCounts;

/**
 * Removes everything a deleted namespace held (DESIGN §6) by asking each module, in the registry's
 * order, to purge what it owns (modules.ts lists the steps): collections with their documents (each
 * with its document.deleted event, cause namespace_deleted) and vectors, taxonomies, buckets with
 * their objects' records and bytes, and batches with their chunks (a batch still running first
 * publishes its batch.completed/failed). It runs on namespace.deleted, after the namespace record is
 * gone, so nothing new can be written into it (every write resolves the namespace in its transaction
 * first). Every step is idempotent: an interrupted purge repeated from the start finishes the work
 * and removes nothing twice.
 */
export async function purgeNamespace(
  steps: readonly PurgeStep[],
  namespaceId: string,
): Promise<Result<PurgedNamespace, AppError>> {
  const counts: Record<string, number> = {};
  for (const step of steps) {
    const purged = await step(namespaceId);
    if (!purged.ok) return purged;
    Object.assign(counts, purged.value);
  }
  return ok(counts);
}
