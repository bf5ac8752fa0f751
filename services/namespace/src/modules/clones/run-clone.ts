import { randomUUID } from "node:crypto";
import { type AppError, err, ok, type Result } from "@strata/errors";
import {
  type CloneCopy,
  type CloneCounts,
  type CloneTarget,
  onceEachTable,
} from "../../shared/clone-step.js";
import { documentTurns, sourceDocumentTurns } from "../documents/api.js";
import { DOCUMENTS_TABLE, type DocumentRecord } from "../documents/tables.js";
import { NAMESPACES_TABLE, type NamespaceRecord } from "../namespaces/tables.js";
import { namespaceClonedEvent } from "./clone-events.js";
import type { CloneRun } from "./clone-runs.js";
import { CANCELLED, cloneWriter } from "./clone-writer.js";
import type { ClonePorts } from "./ports.js";
import { type CloneRecord, type CloneStatus, NAMESPACE_CLONES_TABLE } from "./tables.js";

/** Snapshots taken again when writes slipped past the turns (documents created meanwhile). */
const ATTEMPTS = 5;

type AttemptError = AppError | "retry" | "cancelled";

/**
 * Starts copying `task`'s source into its clone; resolves once the copy's snapshot is taken (or
 * the copy ended first). The copy goes on in the background, tracked by `ports.cloneRuns`.
 */
export function runClone(ports: ClonePorts, task: CloneRecord): Promise<void> {
  let snapshotTaken: () => void = () => undefined;
  const taken = new Promise<void>((resolve) => {
    snapshotTaken = resolve;
  });
  const run: CloneRun = {
    taskId: task.id,
    organizationId: task.organization_id,
    namespaceName: task.namespace_name,
    progress: {},
    cancelled: false,
  };
  const done = copyWithRetries(ports, task, run, snapshotTaken).finally(snapshotTaken);
  ports.cloneRuns.add(task.namespace_id, run, done);
  return taken;
}

async function copyWithRetries(
  ports: ClonePorts,
  task: CloneRecord,
  run: CloneRun,
  snapshotTaken: () => void,
): Promise<void> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const copied = await attemptCopy(ports, task, run, snapshotTaken).catch(
      (exception: unknown): Result<never, AttemptError> =>
        err({
          kind: "internal",
          message: exception instanceof Error ? exception.message : String(exception),
        }),
    );
    if (copied.ok) return;
    if (copied.error === "cancelled" || run.cancelled)
      return cleanUpAndEnd(ports, task, "cancelled", CANCELLED);
    if (copied.error !== "retry") return cleanUpAndEnd(ports, task, "failed", copied.error.message);
    // Whatever the attempt wrote (its pages, vectors, bytes) goes before the next one.
    await cleanUp(ports, task.namespace_id);
    run.progress = {};
  }
  await cleanUpAndEnd(
    ports,
    task,
    "failed",
    "The source kept gaining documents during the snapshot; try again",
  );
}

/**
 * One attempt (ADR 0029): the turns of every document of the source, held to the end, so no write
 * or tier move of theirs lands while their records, vectors and tier copies are read; one short
 * snapshot transaction in which every module's step reads what it copies; then the copies, each
 * writing in page transactions with the event loop turning between pages; last, one transaction
 * that marks the clone ready with its event.
 */
async function attemptCopy(
  ports: ClonePorts,
  task: CloneRecord,
  run: CloneRun,
  snapshotTaken: () => void,
): Promise<Result<CloneCounts, AttemptError>> {
  const turns = await sourceDocumentTurns(ports.store, task.source_namespace_id);
  return holdTurns(ports, [...turns], async () => {
    const target: CloneTarget = { namespaceId: task.namespace_id, organizationId: task.organization_id };
    const source = task.source_namespace_id;
    const snapshot = await ports.store.transaction<CloneCopy[], AttemptError>(async (tx) => {
      snapshotTaken();
      const sourceRecords = onceEachTable(tx, source);
      const documents = await sourceRecords<DocumentRecord>(DOCUMENTS_TABLE);
      if (!sameTurns(turns, documentTurns(documents))) return err("retry");
      const copies: CloneCopy[] = [];
      for (const step of ports.cloneSteps) {
        const read = await step({ tx, sourceNamespaceId: source, target, sourceRecords });
        if (!read.ok) return read;
        copies.push(read.value);
      }
      return ok(copies);
    });
    if (!snapshot.ok) return snapshot;
    const writer = cloneWriter(ports.store, run, source, target, `clone-${task.id}-${randomUUID()}`);
    for (const copy of snapshot.value) {
      if (run.cancelled) return err("cancelled");
      const copied = await copy(writer);
      if (!copied.ok) return run.cancelled ? err("cancelled") : copied;
      // A step's final counts replace the live ones it reported page by page.
      run.progress = { ...run.progress, ...copied.value };
    }
    return markReady(ports, task, run);
  });
}

/** The last transaction: the clone's namespace loses its mark, the task is ready, the event goes out. */
async function markReady(
  ports: ClonePorts,
  task: CloneRecord,
  run: CloneRun,
): Promise<Result<CloneCounts, AttemptError>> {
  const ready = await ports.store.transaction<CloneCounts, AttemptError>(async (tx) => {
    if (run.cancelled) return err("cancelled");
    const namespaces = tx.table<NamespaceRecord>(NAMESPACES_TABLE);
    const reserved = await namespaces.get(task.namespace_id);
    if (reserved === undefined) return err("cancelled");
    const { clone_status: _cloning, ...readyRecord } = reserved.record;
    await namespaces.replace(readyRecord, reserved.version);
    const finished = await finishTask(ports, tx, task, "ready", null, run.progress);
    await ports.appendEvent(tx, namespaceClonedEvent(finished, ports.clock()));
    return ok(run.progress);
  });
  if (ready.ok) ports.eventsCommitted();
  return ready;
}

/** Takes the turns collection after collection; none is waited for inside the transaction. */
function holdTurns<T>(
  ports: ClonePorts,
  turns: readonly [string, string[]][],
  work: () => Promise<T>,
): Promise<T> {
  const [first, ...rest] = turns;
  if (first === undefined) return work();
  return ports.vectors.exclusive(first[0], first[1], () => holdTurns(ports, rest, work));
}

function sameTurns(held: Map<string, string[]>, now: Map<string, string[]>): boolean {
  for (const [collectionId, ids] of now) {
    const heldIds = new Set(held.get(collectionId) ?? []);
    if (ids.some((id) => !heldIds.has(id))) return false;
  }
  return true;
}

async function cleanUp(ports: ClonePorts, namespaceId: string): Promise<void> {
  for (const step of ports.cloneCleanUps) await step(namespaceId);
}

async function finishTask(
  ports: ClonePorts,
  tx: Parameters<Parameters<ClonePorts["store"]["transaction"]>[0]>[0],
  task: CloneRecord,
  status: CloneStatus,
  reason: string | null,
  progress: Readonly<Record<string, number>>,
): Promise<CloneRecord> {
  const table = tx.table<CloneRecord>(NAMESPACE_CLONES_TABLE);
  const stored = await table.get(task.id);
  const finished: CloneRecord = {
    ...(stored?.record ?? task),
    status,
    reason,
    progress,
    updated_at: ports.clock().toISOString(),
  };
  if (stored === undefined) await table.insert(finished);
  else await table.replace(finished, stored.version);
  return finished;
}

/**
 * A clone that failed or was cancelled: what it wrote (its committed pages and its data outside the
 * store) goes, then its reserved namespace (its name is free again) and the task says why, in one
 * transaction.
 */
export async function cleanUpAndEnd(
  ports: ClonePorts,
  task: CloneRecord,
  status: "failed" | "cancelled",
  reason: string,
): Promise<void> {
  await cleanUp(ports, task.namespace_id);
  await ports.store.transaction(async (tx) => {
    await tx.table<NamespaceRecord>(NAMESPACES_TABLE).delete(task.namespace_id);
    await finishTask(ports, tx, task, status, reason, {});
    return ok(undefined);
  });
}
