import type { PlannedChange } from "./plan.js";
import type { ResourceKind } from "./ports.js";

/**
 * Some owning services refuse to change a resource while another one depends on its current shape
 * (acl-query will not move a retriever to another feature space while alerts hold query vectors in
 * the old one). Such a dependent is taken out first and put back afterwards: its change becomes a
 * delete that runs with the deletes, before anything else, and a create at its usual place, both
 * saying why. Changes are in run order; the answer is the deletes to run first and the rest.
 */
export function recreateDependents(
  changes: readonly PlannedChange[],
  kinds: readonly ResourceKind[],
): { first: PlannedChange[]; rest: PlannedChange[] } {
  const bySection = new Map(kinds.map((kind) => [kind.section, kind]));
  const byKey = new Map(changes.map((change) => [`${change.kind}/${change.name}`, change]));
  const first: PlannedChange[] = [];
  const rest = changes.map((change): PlannedChange => {
    const kind = bySection.get(change.kind);
    if (kind?.recreateWhen === undefined || change.before === null || change.after === null) return change;
    if (change.action !== "update" && change.action !== "no-op") return change;
    const cause = kind
      .references(change.before)
      .map((reference) => byKey.get(`${reference.section}/${reference.name}`))
      .find((referenced) => referenced !== undefined && kind.recreateWhen?.(referenced) === true);
    if (cause === undefined) return change;
    const reason = `${cause.kind}/${cause.name} changes in a way the owning service refuses while this ${kind.section} depends on it: it is deleted first and created again after`;
    first.push({ ...change, action: "delete", fields: [], after: null, reason });
    return { ...change, action: "create", fields: [], before: null, reason };
  });
  return { first, rest };
}
