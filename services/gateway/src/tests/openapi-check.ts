// Test support: structural checks of an OpenAPI 3.1 document (no validator package is installed).
const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

/** Every problem found; an empty list means the document is well formed as far as checked. */
export function checkOpenApiDocument(doc: unknown): string[] {
  const problems: string[] = [];
  if (typeof doc !== "object" || doc === null) return ["not an object"];
  const root = doc as Record<string, unknown>;
  if (typeof root.openapi !== "string" || !/^3\.1\.\d+$/.test(root.openapi))
    problems.push("openapi is not 3.1.x");
  const info = root.info as Record<string, unknown> | undefined;
  if (typeof info?.title !== "string" || typeof info.version !== "string")
    problems.push("info.title/version missing");
  const paths = root.paths as Record<string, Record<string, unknown>> | undefined;
  if (paths === undefined) return [...problems, "no paths"];
  for (const [path, item] of Object.entries(paths)) {
    if (!path.startsWith("/")) problems.push(`${path}: does not start with /`);
    if (path.includes(":")) problems.push(`${path}: uses :param instead of {param}`);
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.has(method)) continue;
      const operation = op as {
        responses?: Record<string, unknown>;
        parameters?: Array<Record<string, unknown>>;
      };
      if (operation.responses === undefined || Object.keys(operation.responses).length === 0) {
        problems.push(`${method} ${path}: no responses`);
      }
      for (const [code, answer] of Object.entries(operation.responses ?? {})) {
        // A shared answer (components.responses) is checked where it is defined.
        const ref = (answer as { $ref?: unknown }).$ref;
        const response = typeof ref === "string" ? lookup(root, ref) : answer;
        if (typeof (response as { description?: unknown } | undefined)?.description !== "string") {
          problems.push(`${method} ${path} ${code}: response without description`);
        }
      }
      const pathParams = (operation.parameters ?? []).filter((p) => p.in === "path");
      for (const name of templated) {
        const param = pathParams.find((p) => p.name === name);
        if (param === undefined) problems.push(`${method} ${path}: path parameter ${name} not declared`);
        else if (param.required !== true)
          problems.push(`${method} ${path}: path parameter ${name} not required`);
      }
      for (const param of operation.parameters ?? []) {
        if (!["path", "query", "header", "cookie"].includes(String(param.in))) {
          problems.push(`${method} ${path}: parameter ${String(param.name)} has in=${String(param.in)}`);
        }
      }
    }
  }
  for (const ref of collectRefs(doc)) {
    if (!resolves(root, ref)) problems.push(`unresolved $ref ${ref}`);
  }
  return problems;
}

function collectRefs(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) collectRefs(v, found);
  else if (typeof value === "object" && value !== null) {
    for (const [key, v] of Object.entries(value)) {
      if (key === "$ref" && typeof v === "string") found.push(v);
      else collectRefs(v, found);
    }
  }
  return found;
}

function resolves(root: Record<string, unknown>, ref: string): boolean {
  return lookup(root, ref) !== undefined;
}

function lookup(root: Record<string, unknown>, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = root;
  for (const part of ref.slice(2).split("/")) {
    const key = part.replace(/~1/g, "/").replace(/~0/g, "~");
    if (typeof node !== "object" || node === null || !(key in node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
