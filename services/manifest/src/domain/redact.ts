import type { Manifest } from "./manifest-shape.js";
import type { Plan, PlannedChange } from "./plan.js";
import type { ResourceKind, Spec } from "./ports.js";
import { secretReference } from "./secrets.js";

const MASK = "(sensitive)";

/** `WEBHOOK_ALERTS_AUTHORIZATION`: the secret name an export gives one sensitive value. */
export function secretNameOf(section: string, name: string, key: string): string {
  const singular = section.endsWith("s") ? section.slice(0, -1) : section;
  return [singular, name, key]
    .join("_")
    .toUpperCase()
    .replace(/[^A-Z0-9_]/g, "_");
}

/** The spec with its sensitive values as secret references (what an export writes). */
export function withSecretReferences(kind: ResourceKind, name: string, spec: Spec): Spec {
  return mapSensitive(kind, spec, (field, key) =>
    secretReference(secretNameOf(kind.section, name, key ?? field)),
  );
}

/** The plan as callers and the history see it: every sensitive value masked. */
export function redactPlan(plan: Plan, kinds: readonly ResourceKind[]): Plan {
  const bySection = new Map(kinds.map((kind) => [kind.section, kind]));
  const changes = plan.changes.map((change): PlannedChange => {
    const kind = bySection.get(change.kind);
    const sensitive = kind?.sensitive ?? [];
    if (kind === undefined || sensitive.length === 0) return change;
    const mask = (spec: Spec | null) => (spec === null ? null : mapSensitive(kind, spec, () => MASK));
    return {
      ...change,
      before: mask(change.before),
      after: mask(change.after),
      fields: change.fields.map((f) =>
        sensitive.includes(f.field)
          ? { field: f.field, before: maskValue(f.before), after: maskValue(f.after) }
          : f,
      ),
    };
  });
  return { ...plan, changes };
}

function maskValue(value: unknown): unknown {
  if (typeof value === "string") return MASK;
  if (typeof value === "object" && value !== null && !Array.isArray(value))
    return Object.fromEntries(Object.keys(value).map((key) => [key, MASK]));
  return value;
}

function mapSensitive(
  kind: ResourceKind,
  spec: Spec,
  replace: (field: string, key?: string) => string,
): Spec {
  const sensitive = kind.sensitive ?? [];
  if (sensitive.length === 0) return spec;
  const out: Record<string, unknown> = { ...spec };
  for (const field of sensitive) {
    const value = spec[field];
    if (typeof value === "string") out[field] = replace(field);
    else if (typeof value === "object" && value !== null && !Array.isArray(value))
      out[field] = Object.fromEntries(Object.keys(value).map((key) => [key, replace(field, key)]));
  }
  return out;
}

/** The manifest with its sensitive values as secret references again (what the history keeps). */
export function redactManifest(manifest: Manifest, kinds: readonly ResourceKind[]): Manifest {
  const bySection = new Map(kinds.map((kind) => [kind.section, kind]));
  const sections = new Map(
    [...manifest.sections].map(([section, resources]) => {
      const kind = bySection.get(section);
      return [
        section,
        kind === undefined
          ? resources
          : resources.map((r) => ({ ...r, spec: withSecretReferences(kind, r.name, r.spec) })),
      ];
    }),
  );
  return { ...manifest, sections };
}
