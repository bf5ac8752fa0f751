import { type AppError, ok, type Result } from "@strata/errors";
import type { Plan, PlannedChange } from "./plan.js";
import type { ActContext, ManifestPorts, ResourceKind, Step } from "./ports.js";

export interface StepReport {
  readonly kind: string;
  readonly name: string;
  readonly operation: Step["operation"];
}

export interface StepFailure extends StepReport {
  readonly error: AppError;
}

/**
 * Carries out a plan's changes in order, each through the StepRunner. `purpose: "undo"` runs a
 * restoring plan: it goes on past a failing step (putting back as much as it can) and answers
 * every failure; an apply stops at its first.
 */
export async function runPlan(
  ports: ManifestPorts,
  context: ActContext,
  plan: Plan,
  purpose: Step["purpose"],
): Promise<{ done: StepReport[]; failures: StepFailure[] }> {
  const kinds = new Map(ports.kinds.map((kind) => [kind.section, kind]));
  const done: StepReport[] = [];
  const failures: StepFailure[] = [];
  for (const change of plan.changes) {
    const kind = kinds.get(change.kind);
    if (kind === undefined || change.action === "no-op") continue;
    for (const operation of operationsOf(kind, context, change)) {
      const step: Step = {
        section: kind.section,
        name: change.name,
        purpose,
        operation: operation.operation,
      };
      const outcome = await ports.runStep(step, operation.run);
      const report = { kind: kind.section, name: change.name, operation: operation.operation };
      if (outcome.ok) {
        done.push(report);
        continue;
      }
      failures.push({ ...report, error: outcome.error });
      if (purpose === "apply") return { done, failures };
      break;
    }
  }
  return { done, failures };
}

interface Operation {
  readonly operation: Step["operation"];
  readonly run: () => Promise<Result<void, AppError>>;
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
