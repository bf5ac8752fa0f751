import type { Caller } from "@strata/access";
import { type AppError, err, notFound, ok, type Result } from "@strata/errors";
import type { TieringPorts } from "./ports.js";
import { checkNamespace } from "./scope.js";
import type { SweepRunner, SweepStart } from "./sweep-runner.js";
import { JOBS_TABLE, type JobRecord } from "./tables.js";

/** POST /v1/tiering/sweep: a sweep now, or the one running. */
export async function requestSweep(
  ports: TieringPorts,
  runner: SweepRunner,
  caller: Caller,
  namespaceId: string,
): Promise<Result<SweepStart & { readonly job: JobRecord }, AppError>> {
  const denied = await checkNamespace(ports, caller, namespaceId, "write");
  if (denied !== undefined) return err(denied);
  const started = await runner.sweep(caller.organizationId, namespaceId, "manual");
  if (!started.ok) return started;
  const job = started.value.job;
  // A manual sweep always leaves a job (an empty one completes at once).
  if (job === undefined) return err(notFound("sweep job", namespaceId));
  return ok({ job, started: started.value.started });
}

export async function getSweepJob(
  ports: TieringPorts,
  caller: Caller,
  namespaceId: string,
  jobId: string,
): Promise<Result<JobRecord, AppError>> {
  const denied = await checkNamespace(ports, caller, namespaceId, "read");
  if (denied !== undefined) return err(denied);
  const found = await ports.store.table<JobRecord>(JOBS_TABLE).get(jobId);
  if (
    found === undefined ||
    found.record.namespace_id !== namespaceId ||
    found.record.organization_id !== caller.organizationId
  ) {
    return err(notFound("sweep job", jobId));
  }
  return ok(found.record);
}
