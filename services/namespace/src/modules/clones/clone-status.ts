import type { Caller } from "@strata/access";
import { canReachNamespace } from "@strata/access";
import { type AppError, err, notFound, ok, type Result } from "@strata/errors";
import type { ClonePorts } from "./ports.js";
import { type CloneRecord, type CloneStatus, NAMESPACE_CLONES_TABLE } from "./tables.js";

export interface CloneStatusView {
  readonly taskId: string;
  readonly namespaceId: string;
  readonly sourceNamespaceId: string | null;
  readonly status: CloneStatus;
  readonly progress: Readonly<Record<string, number>>;
  readonly reason: string | null;
}

/**
 * How the clone `namespaceId` is doing. A running copy's progress changes page by page in this
 * process's run (ADR 0029), so it comes from there, without a store read. Another organization's clone, like
 * a missing one, is not found.
 */
export async function cloneStatus(
  ports: ClonePorts,
  caller: Caller,
  namespaceId: string,
): Promise<Result<CloneStatusView, AppError>> {
  if (!canReachNamespace(caller, namespaceId)) return err(notFound("clone", namespaceId));
  const running = ports.cloneRuns.get(namespaceId);
  if (running !== undefined) {
    if (running.organizationId !== caller.organizationId) return err(notFound("clone", namespaceId));
    return ok({
      taskId: running.taskId,
      namespaceId,
      sourceNamespaceId: null,
      status: running.cancelled ? "cancelled" : "cloning",
      progress: running.progress,
      reason: null,
    });
  }
  const task = await latestTask(ports, namespaceId);
  if (task === undefined || task.organization_id !== caller.organizationId)
    return err(notFound("clone", namespaceId));
  return ok({
    taskId: task.id,
    namespaceId,
    sourceNamespaceId: task.source_namespace_id,
    status: task.status,
    progress: task.progress,
    reason: task.reason,
  });
}

/** Asks the running copy of `namespaceId` to stop at its next page; it removes what it wrote. */
export async function cancelClone(
  ports: ClonePorts,
  caller: Caller,
  namespaceId: string,
): Promise<Result<CloneStatusView, AppError>> {
  const running = ports.cloneRuns.get(namespaceId);
  if (
    running !== undefined &&
    running.organizationId === caller.organizationId &&
    canReachNamespace(caller, namespaceId)
  )
    running.cancelled = true;
  return cloneStatus(ports, caller, namespaceId);
}

async function latestTask(ports: ClonePorts, namespaceId: string): Promise<CloneRecord | undefined> {
  const [found] = await ports.store.table<CloneRecord>(NAMESPACE_CLONES_TABLE).find({
    where: { namespace_id: namespaceId },
    orderBy: [{ field: "created_at", direction: "desc" }],
    limit: 1,
  });
  return found?.record;
}
