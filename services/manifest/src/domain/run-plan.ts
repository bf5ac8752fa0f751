import { chunksOf } from "@strata/batching";
import { type AppError, ok, type Result } from "@strata/errors";
import { createTogether } from "./create-together.js";
import type { Plan, PlannedChange } from "./plan.js";
import type { ActContext, ManifestPorts, ResourceKind, Step } from "./ports.js";
import { runBounded } from "./run-bounded.js";

export interface StepReport {
  readonly kind: string;
  readonly name: string;
  readonly operation: Step["operation"];
}

export interface StepFailure extends StepReport {
  readonly error: AppError;
}

/**
 * Carries out a plan's changes through the StepRunner, kind after kind in the plan's order. The
 * resources of one kind do not depend on each other, so a run of changes of one kind goes up to
 * `ports.stepConcurrency` at a time: first every removal among them (deletes, and the delete half
 * of each replace), then the creates and updates, so a replaced resource is gone before it comes
 * back. `purpose: "undo"` runs a restoring plan: it goes on past a failing step (putting back as
 * much as it can) and answers every failure; an apply starts nothing after its first failure and
 * waits for the steps already under way, so what it changed is settled before anything undoes it.
 */
export async function runPlan(
  ports: Pick<ManifestPorts, "kinds" | "runStep" | "stepConcurrency" | "createBatchSize">,
  context: ActContext,
  plan: Plan,
  purpose: Step["purpose"],
): Promise<{ done: StepReport[]; failures: StepFailure[] }> {
  const kinds = new Map(ports.kinds.map((kind) => [kind.section, kind]));
  const done: StepReport[] = [];
  const failures: StepFailure[] = [];
  const stopped = () => purpose === "apply" && failures.length > 0;
  for (const group of groupsOf(plan.changes, kinds)) {
    // A change whose removal failed is not created again.
    const failedRemoval = new Set<string>();
    const report = (change: PlannedChange, operation: Operation, outcome: Result<void, AppError>) => {
      const step = { kind: group.kind.section, name: change.name, operation: operation.operation };
      if (outcome.ok) {
        done.push(step);
        return;
      }
      failures.push({ ...step, error: outcome.error });
      if (operation.operation === "delete") failedRemoval.add(change.name);
    };
    const stepOf = (change: PlannedChange, operation: Operation): Step => ({
      section: group.kind.section,
      name: change.name,
      purpose,
      operation: operation.operation,
    });
    for (const stage of STAGES) {
      const operations = group.changes.flatMap((change) =>
        failedRemoval.has(change.name)
          ? []
          : operationsOf(group.kind, context, change)
              .filter((operation) => stageOf(operation) === stage)
              .map((operation) => ({ change, operation })),
      );
      const limit = dependsWithin(group) ? 1 : ports.stepConcurrency;
      const createMany = limit > 1 ? group.kind.createMany?.bind(group.kind) : undefined;
      const together = createMany === undefined ? [] : operations.filter(isCreate);
      const alone = createMany === undefined ? operations : operations.filter((entry) => !isCreate(entry));
      await Promise.all([
        runBounded(alone, limit, stopped, async ({ change, operation }) => {
          report(change, operation, await ports.runStep(stepOf(change, operation), operation.run));
        }),
        runBounded(chunksOf(together, ports.createBatchSize), limit, stopped, async (chunk) => {
          if (createMany === undefined) return;
          const gathered = chunk.map(({ change, operation }) => ({
            name: change.name,
            spec: change.after ?? {},
            step: stepOf(change, operation),
          }));
          const outcomes = await createTogether(ports.runStep, createMany, context, gathered);
          for (const [index, { change, operation }] of chunk.entries())
            report(change, operation, outcomes[index] ?? ok(undefined));
        }),
      ]);
      if (stopped()) return { done, failures };
    }
  }
  return { done, failures };
}

interface Planned {
  readonly change: PlannedChange;
  readonly operation: Operation;
}

/** A create with something to create (a replace's or a create's second half). */
function isCreate({ change, operation }: Planned): boolean {
  return operation.operation === "create" && change.after !== null;
}

interface Group {
  readonly kind: ResourceKind;
  readonly changes: PlannedChange[];
}

/** Consecutive changes of one kind (the plan's order: prunes children first, the rest by kind, late prunes). */
function groupsOf(changes: readonly PlannedChange[], kinds: ReadonlyMap<string, ResourceKind>): Group[] {
  const groups: Group[] = [];
  for (const change of changes) {
    const kind = kinds.get(change.kind);
    if (kind === undefined || change.action === "no-op") continue;
    const last = groups.at(-1);
    if (last !== undefined && last.kind === kind) last.changes.push(change);
    else groups.push({ kind, changes: [change] });
  }
  return groups;
}

/** A kind whose resources name others of the same kind keeps the plan's order, one at a time. */
function dependsWithin(group: Group): boolean {
  const names = new Set(group.changes.map((change) => change.name));
  return group.changes.some(
    (change) =>
      change.after !== null &&
      group.kind
        .references(change.after)
        .some((reference) => reference.section === group.kind.section && names.has(reference.name)),
  );
}

const STAGES = ["removal", "rest"] as const;

interface Operation {
  readonly operation: Step["operation"];
  readonly run: () => Promise<Result<void, AppError>>;
}

function stageOf(operation: Operation): (typeof STAGES)[number] {
  return operation.operation === "delete" ? "removal" : "rest";
}

/** A change as the calls that make it: a replace deletes, then creates. */
function operationsOf(kind: ResourceKind, context: ActContext, change: PlannedChange): Operation[] {
  const { name, before, after } = change;
  const create: Operation = {
    operation: "create",
    run: () => (after === null ? Promise.resolve(ok(undefined)) : kind.create(context, name, after)),
  };
  const remove: Operation = { operation: "delete", run: () => kind.remove(context, name) };
  switch (change.action) {
    case "create":
      return [create];
    case "update":
      return [
        {
          operation: "update",
          run: () =>
            before === null || after === null
              ? Promise.resolve(ok(undefined))
              : kind.update(context, name, before, after),
        },
      ];
    case "delete":
      return [remove];
    case "replace":
      return [remove, create];
    case "no-op":
      return [];
  }
}
