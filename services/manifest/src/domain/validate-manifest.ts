import type { ValidationIssue } from "@strata/errors";
import { MANIFEST_VERSION, type Manifest, type ManifestResource } from "./manifest-shape.js";
import type { ParsedDocument, ResourceKind } from "./ports.js";
import { resolveSecrets } from "./secrets.js";

type Path = readonly (string | number)[];

/**
 * Checks a parsed manifest completely and answers every problem at once: unknown fields, wrong
 * types, a wrong version, duplicate names, references to resources the manifest does not list,
 * and dependency cycles. Each problem names its path, and its line and column when known.
 */
export function validateManifest(
  document: ParsedDocument,
  kinds: readonly ResourceKind[],
  secrets: Readonly<Record<string, string>>,
): { ok: true; manifest: Manifest } | { ok: false; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  const report = (path: Path, type: string, message: string) => {
    const at = document.locate(path);
    issues.push({
      location: formatPath(path),
      type,
      message: at === undefined ? message : `line ${at.line}, column ${at.column}: ${message}`,
    });
  };
  const resolved = resolveSecrets(document.value, secrets, (path, name) =>
    report(path, "missing_secret", `secret '${name}' is referenced but was not given in the secrets map`),
  );
  if (!isObject(resolved)) {
    report([], "invalid_type", "a manifest is an object with version, metadata and resource lists");
    return { ok: false, issues };
  }
  const bySection = new Map(kinds.map((kind) => [kind.section, kind]));
  for (const key of Object.keys(resolved)) {
    if (key !== "version" && key !== "metadata" && !bySection.has(key))
      report([key], "unknown_field", `unknown field '${key}'`);
  }
  if (resolved.version !== MANIFEST_VERSION)
    report(["version"], "invalid_value", `version must be "${MANIFEST_VERSION}"`);
  const name = manifestName(resolved.metadata, report);
  const sections = new Map<string, ManifestResource[]>();
  for (const kind of kinds) sections.set(kind.section, resourcesOf(kind, resolved[kind.section], report));
  checkReferences(kinds, sections, namesListed(kinds, resolved), report);
  return issues.length === 0 ? { ok: true, manifest: { name, sections } } : { ok: false, issues };
}

type Report = (path: Path, type: string, message: string) => void;

function manifestName(metadata: unknown, report: Report): string {
  if (!isObject(metadata)) {
    report(["metadata"], "invalid_type", "metadata must be an object with a name");
    return "";
  }
  for (const key of Object.keys(metadata))
    if (key !== "name") report(["metadata", key], "unknown_field", `unknown field '${key}'`);
  if (typeof metadata.name !== "string" || metadata.name.length === 0) {
    report(["metadata", "name"], "invalid_type", "metadata.name must be a non-empty string");
    return "";
  }
  return metadata.name;
}

function resourcesOf(kind: ResourceKind, value: unknown, report: Report): ManifestResource[] {
  if (value === undefined) return [];
  if (kind.singleton !== undefined) {
    if (!isObject(value)) {
      report([kind.section], "invalid_type", `${kind.section} is one object (not a list)`);
      return [];
    }
    if ("name" in value) {
      report([kind.section, "name"], "unknown_field", `${kind.section} has no name: a namespace has one`);
      return [];
    }
    const one = resourceOf(kind, { name: kind.singleton, ...value }, [kind.section], new Set(), report);
    return one === undefined ? [] : [one];
  }
  if (!Array.isArray(value)) {
    report([kind.section], "invalid_type", `${kind.section} must be a list`);
    return [];
  }
  const resources: ManifestResource[] = [];
  const seen = new Set<string>();
  value.forEach((item: unknown, index) => {
    const resource = resourceOf(kind, item, [kind.section, index], seen, report);
    if (resource !== undefined) resources.push(resource);
  });
  return resources;
}

/** One resource at `at`, checked completely; undefined when it has any problem. */
function resourceOf(
  kind: ResourceKind,
  item: unknown,
  at: Path,
  seen: Set<string>,
  report: Report,
): ManifestResource | undefined {
  if (!isObject(item)) {
    report(at, "invalid_type", "each resource is an object with a name");
    return undefined;
  }
  const { name, protect, ...fields } = item;
  let valid = true;
  if (typeof name !== "string" || name.length === 0) {
    report([...at, "name"], "invalid_type", "name must be a non-empty string");
    valid = false;
  } else if (seen.has(name)) {
    report([...at, "name"], "duplicate_name", `${kind.section} has more than one resource named '${name}'`);
    valid = false;
  }
  if (protect !== undefined && typeof protect !== "boolean") {
    report([...at, "protect"], "invalid_type", "protect must be true or false");
    valid = false;
  }
  const parsed = kind.schema.safeParse(fields);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const keys = issue.code === "unrecognized_keys" ? issue.keys : [undefined];
      for (const key of keys) {
        const path = [...at, ...issue.path.map(pathPart), ...(key === undefined ? [] : [key])];
        const type = issue.code === "unrecognized_keys" ? "unknown_field" : issue.code;
        report(path, type, key === undefined ? issue.message : `unknown field '${key}'`);
      }
    }
    valid = false;
  }
  if (typeof name === "string") seen.add(name);
  if (!valid || typeof name !== "string" || !parsed.success) return undefined;
  return { name, protect: protect === true, spec: parsed.data };
}

/**
 * Where each name stands in its list, valid resource or not: problems are located by the list's
 * own index, and a reference to a resource with problems of its own is not reported again as
 * dangling (its problems are).
 */
function namesListed(
  kinds: readonly ResourceKind[],
  document: Record<string, unknown>,
): Map<string, Map<string, number>> {
  const names = new Map<string, Map<string, number>>();
  for (const kind of kinds) {
    const value = document[kind.section];
    const items: unknown[] = Array.isArray(value) ? value : [];
    const at = new Map<string, number>();
    items.forEach((item, index) => {
      if (isObject(item) && typeof item.name === "string" && !at.has(item.name)) at.set(item.name, index);
    });
    names.set(kind.section, at);
  }
  return names;
}

/** Every reference names a resource of the manifest, and no chain of references comes back. */
function checkReferences(
  kinds: readonly ResourceKind[],
  sections: ReadonlyMap<string, readonly ManifestResource[]>,
  listedNames: ReadonlyMap<string, ReadonlyMap<string, number>>,
  report: Report,
): void {
  const edges = new Map<string, string[]>();
  for (const kind of kinds) {
    for (const resource of sections.get(kind.section) ?? []) {
      const index = listedNames.get(kind.section)?.get(resource.name) ?? 0;
      const targets: string[] = [];
      for (const reference of kind.references(resource.spec)) {
        const listed = (sections.get(reference.section) ?? []).some((r) => r.name === reference.name);
        if (!listed && listedNames.get(reference.section)?.has(reference.name) === true) continue;
        if (!listed) {
          report(
            [
              ...(kind.singleton === undefined ? [kind.section, index] : [kind.section]),
              ...parseField(reference.field),
            ],
            "dangling_reference",
            `refers to ${reference.section} '${reference.name}', which the manifest does not list`,
          );
        } else targets.push(`${reference.section}/${reference.name}`);
      }
      edges.set(`${kind.section}/${resource.name}`, targets);
    }
  }
  const state = new Map<string, "visiting" | "done">();
  const visit = (node: string, trail: string[]): void => {
    if (state.get(node) === "done") return;
    if (state.get(node) === "visiting") {
      const cycle = [...trail.slice(trail.indexOf(node)), node].join(" → ");
      const [section = ""] = node.split("/");
      report([section], "dependency_cycle", `dependency cycle: ${cycle}`);
      return;
    }
    state.set(node, "visiting");
    for (const next of edges.get(node) ?? []) visit(next, [...trail, node]);
    state.set(node, "done");
  };
  for (const node of edges.keys()) visit(node, []);
}

function parseField(field: string): (string | number)[] {
  return field
    .split(/\.|\[(\d+)\]/)
    .filter((part) => part !== undefined && part !== "")
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function pathPart(part: PropertyKey): string | number {
  return typeof part === "number" ? part : String(part);
}

export function formatPath(path: Path): string {
  let text = "";
  for (const part of path) text += typeof part === "number" ? `[${part}]` : text === "" ? part : `.${part}`;
  return text === "" ? "(document)" : text;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
