import { type AppError, err, ok, type Result, unavailable } from "@strata/errors";
import { newId } from "@strata/ids";
import { executeNextBatch } from "./execute-moves.js";
import { releaseLease, takeLease } from "./lease.js";
import { type PlannedMove, planSweep } from "./plan-sweep.js";
import { POLICY_OFF, policyOf } from "./policy.js";
import type { TieringPorts } from "./ports.js";
import { reconcilePlacements } from "./reconcile.js";
import {
  DIRECTIONS,
  JOBS_TABLE,
  type JobRecord,
  MOVES_TABLE,
  type MoveRecord,
  OUTCOMES,
  POLICIES_TABLE,
  type PolicyRecord,
  type SweepCounts,
  type SweepTrigger,
} from "./tables.js";

export interface SweepStart {
  readonly job: JobRecord | undefined;
  /** False when a sweep of the namespace was running already (`job` is that one). */
  readonly started: boolean;
}

export interface SweepRunnerOptions {
  /** Moves planned per sweep at most; the next sweep takes the rest. */
  readonly maxMovesPerSweep: number;
  /** How often (policy time) a sweep first reconciles its statistics with the namespace's placements. */
  readonly reconcileEveryMs: number;
  readonly onError: (error: unknown, namespaceId: string) => void;
}

/**
 * Runs the sweeps of this replica: one namespace at a time under that namespace's lease, its job
 * and planned moves in the store so that a restarted replica (or another one, once the lease runs
 * out) resumes where it stopped.
 */
export class SweepRunner {
  private readonly active = new Map<string, Promise<void>>();
  /** Namespaces whose sweep this replica is taking the lease for or planning. */
  private readonly planning = new Set<string>();
  private stopping = false;

  constructor(
    private readonly ports: TieringPorts,
    private readonly options: SweepRunnerOptions,
  ) {}

  /** Starts a sweep of the namespace (or joins the running one); its moves run in the background. */
  async sweep(
    organizationId: string,
    namespaceId: string,
    trigger: SweepTrigger,
  ): Promise<Result<SweepStart, AppError>> {
    if (this.stopping) return err(unavailable("The tier migrator is stopping"));
    if (this.active.has(namespaceId) || this.planning.has(namespaceId)) return this.joinRunning(namespaceId);
    const { store, settings } = this.ports;
    this.planning.add(namespaceId);
    try {
      if (!(await takeLease(store, namespaceId, settings.replicaId, settings.leaseMs))) {
        return this.joinRunning(namespaceId);
      }
      return await this.planAndRun(organizationId, namespaceId, trigger);
    } finally {
      this.planning.delete(namespaceId);
    }
  }

  /** The sweep of the namespace that runs (here or in another replica), when there is one yet. */
  private async joinRunning(namespaceId: string): Promise<Result<SweepStart, AppError>> {
    const running = await this.runningJob(namespaceId);
    if (running !== undefined) return ok({ job: running, started: false });
    return err(unavailable("A sweep of this namespace is being planned; try again shortly"));
  }

  /** Holding the lease: resumes the namespace's running job or plans a new one, then runs it. */
  private async planAndRun(
    organizationId: string,
    namespaceId: string,
    trigger: SweepTrigger,
  ): Promise<Result<SweepStart, AppError>> {
    const { store, settings } = this.ports;
    let job: JobRecord | undefined;
    let started = false;
    try {
      job = await this.runningJob(namespaceId);
      if (job === undefined) {
        job = await this.planJob(organizationId, namespaceId, trigger);
        started = job !== undefined;
      }
    } catch (exception: unknown) {
      await releaseLease(store, namespaceId, settings.replicaId);
      throw exception;
    }
    if (job === undefined) {
      await releaseLease(store, namespaceId, settings.replicaId);
      return ok({ job: undefined, started: false });
    }
    const running = job;
    const work = this.run(running)
      .catch((error: unknown) => this.options.onError(error, namespaceId))
      .finally(() => this.active.delete(namespaceId));
    this.active.set(namespaceId, work);
    return ok({ job: running, started });
  }

  /** One scheduled pass: every namespace with a policy, and every job left running by a crash. */
  async tick(): Promise<void> {
    const policies = await this.ports.store.table<PolicyRecord>(POLICIES_TABLE).find();
    const jobs = await this.ports.store.table<JobRecord>(JOBS_TABLE).find({ where: { status: "running" } });
    const namespaces = new Map<string, string>();
    for (const { record } of policies) namespaces.set(record.id, record.organization_id);
    for (const { record } of jobs) namespaces.set(record.namespace_id, record.organization_id);
    for (const [namespaceId, organizationId] of namespaces) {
      if (this.stopping) return;
      try {
        await this.sweep(organizationId, namespaceId, "scheduled");
      } catch (exception: unknown) {
        this.options.onError(exception, namespaceId);
      }
    }
  }

  /** Sweeps running in this replica finish their batch and stop; their jobs resume later. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.active.values()]);
  }

  /** Waits for the sweeps running in this replica (tests). */
  async idle(): Promise<void> {
    while (this.active.size > 0) await Promise.allSettled([...this.active.values()]);
  }

  private async runningJob(namespaceId: string): Promise<JobRecord | undefined> {
    const [found] = await this.ports.store
      .table<JobRecord>(JOBS_TABLE)
      .find({ where: { status: "running", namespace_id: namespaceId }, limit: 1 });
    return found?.record;
  }

  private async planJob(
    organizationId: string,
    namespaceId: string,
    trigger: SweepTrigger,
  ): Promise<JobRecord | undefined> {
    const { store, clock } = this.ports;
    const stored = await store.table<PolicyRecord>(POLICIES_TABLE).get(namespaceId);
    const record = stored?.record.organization_id === organizationId ? stored.record : undefined;
    if (record !== undefined && this.reconcileDue(record)) {
      await reconcilePlacements(this.ports, organizationId, namespaceId);
    }
    const policy = record === undefined ? POLICY_OFF : policyOf(record);
    const planned = await planSweep(
      this.ports,
      namespaceId,
      policy,
      this.options.maxMovesPerSweep,
      record?.accesses_counted_since,
    );
    // A scheduled sweep with nothing to do leaves no job behind; one asked for answers its empty job.
    if (planned.length === 0 && trigger === "scheduled") return undefined;
    const now = clock().toISOString();
    const job: JobRecord = {
      id: newId("sweepJob"),
      organization_id: organizationId,
      namespace_id: namespaceId,
      status: planned.length === 0 ? "completed" : "running",
      trigger,
      counts: plannedCounts(planned),
      started_at: now,
      finished_at: planned.length === 0 ? now : null,
    };
    await store.transaction(async (tx) => {
      await tx.table<JobRecord>(JOBS_TABLE).insert(job);
      const moves = tx.table<MoveRecord>(MOVES_TABLE);
      for (const [seq, move] of planned.entries()) {
        await moves.insert({
          id: `${job.id}/${seq}`,
          job_id: job.id,
          namespace_id: namespaceId,
          seq,
          collection_id: move.collectionId,
          document_id: move.documentId,
          direction: move.direction,
          state: "pending",
          outcome: null,
        });
      }
      return ok(undefined);
    });
    return job;
  }

  private reconcileDue(policy: PolicyRecord): boolean {
    if (policy.reconciled_at === null) return true;
    return this.ports.clock().getTime() - Date.parse(policy.reconciled_at) >= this.options.reconcileEveryMs;
  }

  /** Sends the job's moves batch by batch at the configured rate, holding the lease throughout. */
  private async run(job: JobRecord): Promise<void> {
    const { store, settings, sleep } = this.ports;
    try {
      for (;;) {
        if (this.stopping) return;
        if (!(await takeLease(store, job.namespace_id, settings.replicaId, settings.leaseMs))) return;
        const began = Date.now();
        const sent = await executeNextBatch(this.ports, job);
        if (sent === 0) break;
        const budgetMs = (sent / settings.docsPerSecond) * 1_000;
        const wait = budgetMs - (Date.now() - began);
        if (wait > 0) await sleep(wait);
      }
      await this.finish(job);
    } finally {
      await releaseLease(store, job.namespace_id, settings.replicaId);
    }
  }

  private async finish(job: JobRecord): Promise<void> {
    const jobs = this.ports.store.table<JobRecord>(JOBS_TABLE);
    const current = await jobs.get(job.id);
    if (current === undefined || current.record.status !== "running") return;
    await jobs.replace(
      { ...current.record, status: "completed", finished_at: this.ports.clock().toISOString() },
      current.version,
    );
    // The job's counts keep the story; its move list has served its purpose.
    await this.ports.store.table(MOVES_TABLE).deleteMany({ job_id: job.id });
  }
}

function plannedCounts(planned: readonly PlannedMove[]): SweepCounts {
  const counts: Record<string, number> = {};
  for (const field of [...DIRECTIONS, ...OUTCOMES]) counts[field] = 0;
  for (const move of planned) counts[move.direction] = (counts[move.direction] ?? 0) + 1;
  counts.pending = planned.length;
  return counts as SweepCounts;
}
