import { canonicalJson, sameValue, sha256Hex } from "./canonical.js";
import { type Manifest, sortedKinds } from "./manifest-shape.js";
import type { LiveResource, ResourceKind, Spec } from "./ports.js";
import { recreateDependents } from "./recreate-dependents.js";

export type Action = "create" | "update" | "replace" | "delete" | "no-op";

export interface FieldChange {
  readonly field: string;
  readonly before: unknown;
  readonly after: unknown;
  /** Unchanged by name, but a resource it names is replaced: it is pointed at the new one. */
  readonly rebind?: boolean;
}

export interface PlannedChange {
  readonly kind: string;
  readonly name: string;
  readonly action: Action;
  /** The fields that differ (update and replace). */
  readonly fields: readonly FieldChange[];
  /** Why a change is not made in place: a replace, or a dependent deleted and created again. */
  readonly reason?: string;
  readonly before: Spec | null;
  readonly after: Spec | null;
  /** The manifest's protect for this resource (or the recorded one, for a prune). */
  readonly protect: boolean;
}

export interface Plan {
  readonly plan_hash: string;
  readonly summary: Readonly<Record<Action, number>>;
  /**
   * In the order an apply carries them out: deletes (children first), then the rest by kind order,
   * then the deletes of what a kept resource named before the apply (see `deletedAfterTheirDependents`).
   */
  readonly changes: readonly PlannedChange[];
}

/** What an apply knows before it plans: the namespace now, and which resources earlier applies created. */
export interface PlanInputs {
  readonly manifest: Manifest;
  readonly kinds: readonly ResourceKind[];
  readonly live: ReadonlyMap<string, readonly LiveResource[]>;
  /** section → name → protect, for resources earlier applies created. */
  readonly members: ReadonlyMap<string, ReadonlyMap<string, boolean>>;
  readonly prune: boolean;
}

export function planChanges(inputs: PlanInputs): Plan {
  const ordered = sortedKinds(inputs.kinds);
  const deletes: PlannedChange[] = [];
  const forward: PlannedChange[] = [];
  for (const kind of ordered) {
    const desired = inputs.manifest.sections.get(kind.section) ?? [];
    const live = new Map(
      (inputs.live.get(kind.section) ?? []).map((resource) => [resource.name, resource.spec]),
    );
    for (const resource of desired) {
      const before = live.get(resource.name);
      forward.push(changeOf(kind, resource.name, before, resource.spec, resource.protect));
    }
    if (!inputs.prune) continue;
    const listed = new Set(desired.map((resource) => resource.name));
    const members = inputs.members.get(kind.section) ?? new Map<string, boolean>();
    for (const [name, spec] of live) {
      if (listed.has(name) || !members.has(name)) continue;
      const protect = members.get(name) === true;
      deletes.push({
        kind: kind.section,
        name,
        action: "delete",
        fields: [],
        before: spec,
        after: null,
        protect,
      });
    }
  }
  // Children go before their parents: deletes in reverse kind order.
  deletes.reverse();
  const { first, rest } = recreateDependents(rebindToReplaced(forward, ordered), ordered);
  const late = deletedAfterTheirDependents(deletes, rest, ordered);
  const early = deletes.filter((change) => !late.has(keyOf(change)));
  const changes = [...first, ...early, ...rest, ...deletes.filter((change) => late.has(keyOf(change)))];
  const summary: Record<Action, number> = { create: 0, update: 0, replace: 0, delete: 0, "no-op": 0 };
  for (const change of changes) summary[change.action] += 1;
  return { plan_hash: sha256Hex(canonicalJson(changes)), summary, changes };
}

const keyOf = (change: { readonly kind: string; readonly name: string }) => `${change.kind}/${change.name}`;

/**
 * The pruned resources that a kept resource named before this apply (an alert moving from a pruned
 * retriever to a new one), and what those name in turn that is pruned too. They are deleted after
 * the rest: an owning service deletes a resource's dependents with it (deleting a retriever deletes
 * its alerts), so deleting first would take the kept resource along before its update moves it.
 * Every other delete stays first, so that a dependent pruned from under a changing parent is gone
 * before the parent changes.
 */
function deletedAfterTheirDependents(
  deletes: readonly PlannedChange[],
  kept: readonly PlannedChange[],
  kinds: readonly ResourceKind[],
): Set<string> {
  const bySection = new Map(kinds.map((kind) => [kind.section, kind]));
  const pruned = new Map(deletes.map((change) => [keyOf(change), change]));
  const referencedBy = (change: PlannedChange) =>
    change.before === null
      ? []
      : (bySection.get(change.kind)?.references(change.before) ?? []).map((r) => `${r.section}/${r.name}`);
  const late = new Set<string>();
  let reached = kept.filter((change) => change.action !== "create").flatMap(referencedBy);
  while (reached.length > 0) {
    const next: string[] = [];
    for (const key of reached) {
      const change = pruned.get(key);
      if (change === undefined || late.has(key)) continue;
      late.add(key);
      next.push(...referencedBy(change));
    }
    reached = next;
  }
  return late;
}

/**
 * A replaced resource comes back with a new id, and the owning services hold references as ids: a
 * resource naming it that would otherwise be left alone is updated so it refers to the new one. An
 * update that changes other fields says so too, so that what depends on the resource (an alert on
 * a retriever whose collection is replaced) sees its reference move.
 */
function rebindToReplaced(changes: PlannedChange[], kinds: readonly ResourceKind[]): PlannedChange[] {
  const replaced = new Set(changes.filter((c) => c.action === "replace").map((c) => `${c.kind}/${c.name}`));
  if (replaced.size === 0) return changes;
  const bySection = new Map(kinds.map((kind) => [kind.section, kind]));
  return changes.map((change) => {
    const kind = bySection.get(change.kind);
    if (change.action !== "no-op" && change.action !== "update") return change;
    if (change.after === null || kind === undefined) return change;
    const stale = kind.references(change.after).filter((r) => replaced.has(`${r.section}/${r.name}`));
    if (stale.length === 0) return change;
    const field = stale[0]?.field.replace(/\[\d+\]$/, "") ?? "";
    if (change.fields.some((f) => f.field === field)) return change;
    const value = change.after[field] ?? null;
    const rebound = { field, before: value, after: value, rebind: true };
    return { ...change, action: "update", fields: [...change.fields, rebound] };
  });
}

function changeOf(
  kind: ResourceKind,
  name: string,
  before: Spec | undefined,
  after: Spec,
  protect: boolean,
): PlannedChange {
  if (before === undefined)
    return { kind: kind.section, name, action: "create", fields: [], before: null, after, protect };
  const fields: FieldChange[] = [];
  for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (!sameValue(before[field], after[field]))
      fields.push({ field, before: before[field] ?? null, after: after[field] ?? null });
  }
  if (fields.length === 0)
    return { kind: kind.section, name, action: "no-op", fields, before, after, protect };
  const reason = kind.replaceReason(before, after);
  return reason === undefined
    ? { kind: kind.section, name, action: "update", fields, before, after, protect }
    : { kind: kind.section, name, action: "replace", fields, reason, before, after, protect };
}

/** Changes that would destroy a protected resource: an apply refuses the whole plan. */
export function protectedViolations(plan: Plan): PlannedChange[] {
  return plan.changes.filter((c) => c.protect && (c.action === "delete" || c.action === "replace"));
}

export function hasChanges(plan: Plan): boolean {
  return plan.changes.some((change) => change.action !== "no-op");
}

const SYMBOLS: Record<Exclude<Action, "no-op">, string> = {
  create: "+",
  update: "~",
  replace: "-/+",
  delete: "-",
};

/** The plan for people: one line per change, its changed fields below, and a summary. */
export function planText(plan: Plan): string {
  const lines: string[] = [];
  for (const change of plan.changes) {
    if (change.action === "no-op") continue;
    lines.push(
      `${SYMBOLS[change.action]} ${change.kind}/${change.name}${change.protect ? " (protected)" : ""}`,
    );
    if (change.reason !== undefined)
      lines.push(
        change.action === "replace"
          ? `    replaced (deleted, then created again): ${change.reason}`
          : `    ${change.reason}`,
      );
    for (const field of change.fields)
      lines.push(
        field.rebind === true
          ? `    ${field.field}: ${JSON.stringify(field.after)} (re-bound: a resource it names is replaced)`
          : `    ${field.field}: ${JSON.stringify(field.before)} → ${JSON.stringify(field.after)}`,
      );
  }
  const s = plan.summary;
  lines.push(
    hasChanges(plan)
      ? `Plan: ${s.create} to create, ${s.update} to update, ${s.replace} to replace, ${s.delete} to delete.`
      : "No changes. The namespace matches the manifest.",
  );
  return `${lines.join("\n")}\n`;
}
