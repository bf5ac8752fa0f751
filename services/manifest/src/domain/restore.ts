import type { ManifestResource } from "./manifest-shape.js";
import { readLive } from "./namespace-state.js";
import { planChanges } from "./plan.js";
import type { ActContext, LiveResource, ManifestPorts } from "./ports.js";
import { runPlan, type StepFailure, type StepReport } from "./run-plan.js";

export interface Restored {
  /** What was put back, in the order it was put back. */
  readonly rolledBack: readonly StepReport[];
  /** What could not be put back: there the namespace differs from before the apply. */
  readonly rollbackFailed: readonly StepFailure[];
}

/**
 * After a failed apply: plans from the namespace as it is now back to the namespace as it was
 * before (`before`, read when the apply planned) and carries that plan out. Resources the apply
 * created are pruned, changed ones changed back, deleted ones created again; references are
 * re-bound to resources that come back with a new id, exactly as an apply would.
 */
export async function restoreNamespace(
  ports: ManifestPorts,
  context: ActContext,
  before: ReadonlyMap<string, readonly LiveResource[]>,
): Promise<Restored> {
  const now = await readLive(ports, context);
  if (!now.ok) {
    return {
      rolledBack: [],
      rollbackFailed: [{ kind: "*", name: "*", operation: "update", error: now.error }],
    };
  }
  const sections = new Map<string, ManifestResource[]>();
  const added = new Map<string, Map<string, boolean>>();
  for (const kind of ports.kinds) {
    const earlier = before.get(kind.section) ?? [];
    sections.set(
      kind.section,
      earlier.map((resource) => ({ name: resource.name, protect: false, spec: resource.spec })),
    );
    const earlierNames = new Set(earlier.map((resource) => resource.name));
    const created = (now.value.get(kind.section) ?? []).filter(
      (resource) => !earlierNames.has(resource.name),
    );
    added.set(kind.section, new Map(created.map((resource) => [resource.name, false])));
  }
  const plan = planChanges({
    manifest: { name: "(restore)", sections },
    kinds: ports.kinds,
    live: now.value,
    members: added,
    prune: true,
  });
  const { done, failures } = await runPlan(ports, context, plan, "undo");
  return { rolledBack: done, rollbackFailed: failures };
}
