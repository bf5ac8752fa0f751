import { type AppError, ok, type Result } from "@strata/errors";
import type { Plan, PlannedChange } from "./plan.js";
import type { ActContext, ManifestPorts, ResourceKind, Step } from "./ports.js";

export interface StepReport {
  readonly kind: string;
  readonly name: string;
  readonly operation: Step["operation"];
}

export interface RunFailure {
  readonly failed: StepReport & { readonly error: AppError };
  /** What this apply had changed and was put back, in the order it was put back. */
  readonly rolledBack: readonly StepReport[];
  /** Undo steps that failed in turn: the namespace differs from before the apply there. */
  readonly rollbackFailed: readonly (StepReport & { readonly message: string })[];
}

interface Operation {
  readonly step: Step;
  readonly run: () => Promise<Result<void, AppError>>;
}

/**
 * Carries out a plan's changes in order. Every step that succeeds pushes its inverse; when a step
 * fails, the inverses run newest first, so the namespace is as it was before the apply.
 */
export async function runPlan(
  ports: ManifestPorts,
  context: ActContext,
  plan: Plan,
): Promise<Result<void, RunFailure>> {
  const kinds = new Map(ports.kinds.map((kind) => [kind.section, kind]));
  const undo: Operation[] = [];
  for (const change of plan.changes) {
    const kind = kinds.get(change.kind);
    if (kind === undefined || change.action === "no-op") continue;
    for (const [operation, inverse] of operationsOf(kind, context, change)) {
      const done = await ports.runStep(operation.step, operation.run);
      if (!done.ok) {
        const failed = { ...report(operation.step), error: done.error };
        return { ok: false, error: { failed, ...(await rollBack(ports, undo)) } };
      }
      undo.push(inverse);
    }
  }
  return ok(undefined);
}

async function rollBack(ports: ManifestPorts, undo: readonly Operation[]) {
  const rolledBack: StepReport[] = [];
  const rollbackFailed: (StepReport & { message: string })[] = [];
  for (const operation of [...undo].reverse()) {
    const done = await ports.runStep(operation.step, operation.run);
    if (done.ok) rolledBack.push(report(operation.step));
    else rollbackFailed.push({ ...report(operation.step), message: done.error.message });
  }
  return { rolledBack, rollbackFailed };
}

/** Each change as steps, each with the step that undoes it. */
function operationsOf(
  kind: ResourceKind,
  context: ActContext,
  change: PlannedChange,
): [Operation, Operation][] {
  const { name, before, after } = change;
  const step = (purpose: Step["purpose"], operation: Step["operation"]): Step => ({
    section: kind.section,
    name,
    purpose,
    operation,
  });
  const create = (purpose: Step["purpose"], spec: typeof after): Operation => ({
    step: step(purpose, "create"),
    run: () => (spec === null ? Promise.resolve(ok(undefined)) : kind.create(context, name, spec)),
  });
  const remove = (purpose: Step["purpose"]): Operation => ({
    step: step(purpose, "delete"),
    run: () => kind.remove(context, name),
  });
  const update = (purpose: Step["purpose"], from: typeof before, to: typeof after): Operation => ({
    step: step(purpose, "update"),
    run: () =>
      from === null || to === null ? Promise.resolve(ok(undefined)) : kind.update(context, name, from, to),
  });
  switch (change.action) {
    case "create":
      return [[create("apply", after), remove("undo")]];
    case "update":
      return [[update("apply", before, after), update("undo", after, before)]];
    case "delete":
      return [[remove("apply"), create("undo", before)]];
    case "replace":
      return [
        [remove("apply"), create("undo", before)],
        [create("apply", after), remove("undo")],
      ];
    case "no-op":
      return [];
  }
}

function report(step: Step): StepReport {
  return { kind: step.section, name: step.name, operation: step.operation };
}
