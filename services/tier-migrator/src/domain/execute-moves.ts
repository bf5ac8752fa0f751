import { isRetryable, ok } from "@strata/errors";
import { forgetDocument, recordTier } from "./access-rows.js";
import { DIRECTION_TIERS } from "./plan-sweep.js";
import type { MoveAnswer, MoveReason, TieringPorts } from "./ports.js";
import {
  type Direction,
  JOBS_TABLE,
  type JobRecord,
  MOVES_TABLE,
  type MoveRecord,
  type Outcome,
  type SweepCounts,
} from "./tables.js";

const REASON_OF: Readonly<Record<Direction, MoveReason>> = {
  hot_to_warm: "policy",
  warm_to_cold: "policy",
  cold_to_archive: "policy",
  warm_to_hot: "access",
  cold_to_hot: "read",
};

const CALL_ATTEMPTS = 5;

/**
 * Sends the next batch of a job's pending moves to the namespace service and records the answers
 * (moves, job counts, the documents' tiers) in one transaction. A crash between the call and the
 * record sends the batch again on resume: moves are idempotent (already moved is `unchanged`).
 * Answers how many moves the batch held (0: nothing pending).
 */
export async function executeNextBatch(ports: TieringPorts, job: JobRecord): Promise<number> {
  const pending = await ports.store.table<MoveRecord>(MOVES_TABLE).find({
    where: { job_id: job.id, state: "pending" },
    orderBy: [{ field: "seq", direction: "asc" }],
    limit: ports.settings.batchSize,
  });
  if (pending.length === 0) return 0;
  const answers = new Map<string, Outcome>();
  const tiers = new Map<string, MoveAnswer["tier"]>();
  for (const reason of ["policy", "access", "read"] as const) {
    const group = pending.filter((m) => REASON_OF[m.record.direction] === reason).map((m) => m.record);
    if (group.length === 0) continue;
    const answered = await callWithRetries(ports, job, group, reason);
    group.forEach((move, i) => {
      const answer = answered[i];
      answers.set(move.id, answer?.outcome ?? "failed");
      tiers.set(move.id, answer?.tier);
    });
  }
  const changedAt = ports.clock().toISOString();
  await ports.store.transaction(async (tx) => {
    const moves = tx.table<MoveRecord>(MOVES_TABLE);
    const delta: Record<string, number> = { pending: 0 };
    for (const { record, version } of pending) {
      const outcome = answers.get(record.id) ?? "failed";
      await moves.replace({ ...record, state: "done", outcome }, version);
      delta[outcome] = (delta[outcome] ?? 0) + 1;
      delta.pending = (delta.pending ?? 0) - 1;
      const key = {
        organizationId: job.organization_id,
        namespaceId: job.namespace_id,
        collectionId: record.collection_id,
        documentId: record.document_id,
      };
      if (outcome === "moved" || outcome === "unchanged") {
        await recordTier(tx, key, tiers.get(record.id) ?? DIRECTION_TIERS[record.direction].to, changedAt);
      } else if (outcome === "not_found") {
        await forgetDocument(tx, key);
      } else if (outcome === "conflict" && tiers.get(record.id) !== undefined) {
        await recordTier(tx, key, tiers.get(record.id) ?? DIRECTION_TIERS[record.direction].from, changedAt);
      }
    }
    const jobs = tx.table<JobRecord>(JOBS_TABLE);
    const current = await jobs.get(job.id);
    if (current !== undefined) {
      const counts: Record<string, number> = { ...current.record.counts };
      for (const [field, by] of Object.entries(delta)) counts[field] = (counts[field] ?? 0) + by;
      await jobs.replace({ ...current.record, counts: counts as SweepCounts }, current.version);
    }
    return ok(undefined);
  });
  return pending.length;
}

/** The call, retried while the failure may pass; every move `failed` when it does not. */
async function callWithRetries(
  ports: TieringPorts,
  job: JobRecord,
  moves: readonly MoveRecord[],
  reason: MoveReason,
): Promise<readonly (MoveAnswer | undefined)[]> {
  const requests = moves.map((m) => ({
    collectionId: m.collection_id,
    documentId: m.document_id,
    targetTier: DIRECTION_TIERS[m.direction].to,
    expectedTier: DIRECTION_TIERS[m.direction].from,
  }));
  for (let attempt = 1; ; attempt++) {
    const answered = await ports.mover.moveDocuments(job.organization_id, job.namespace_id, requests, reason);
    if (answered.ok) return answered.value;
    if (!isRetryable(answered.error.kind) || attempt >= CALL_ATTEMPTS) return [];
    await ports.sleep(200 * 2 ** attempt);
  }
}
