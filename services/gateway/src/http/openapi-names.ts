// Gives every request body and 2xx JSON answer of the OpenAPI document a named component, so a
// generated client has a type to name for each, and drops components nothing refers to.

export type Json = Record<string, unknown>;

/** `parent[key]` as an object, creating it when absent. */
export function objectAt(parent: Json, key: string): Json {
  const existing = parent[key];
  if (typeof existing === "object" && existing !== null) return existing as Json;
  const created: Json = {};
  parent[key] = created;
  return created;
}
export type Operation = Json & {
  operationId?: string;
  parameters?: Json[];
  requestBody?: Json;
  responses?: Record<string, Json>;
  security?: unknown[];
};

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** Every operation with its path and method. */
export function operationsOf(doc: Json): Array<{ path: string; method: string; operation: Operation }> {
  const paths = (doc.paths ?? {}) as Record<string, Record<string, Operation>>;
  return Object.entries(paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => HTTP_METHODS.includes(method))
      .map(([method, operation]) => ({ path, method, operation })),
  );
}

const pascal = (name: string) => `${name[0]?.toUpperCase() ?? ""}${name.slice(1)}`;
const refTo = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const refName = (schema: unknown) =>
  typeof (schema as Json)?.$ref === "string"
    ? String((schema as Json).$ref)
        .split("/")
        .pop()
    : undefined;

/** `{data: [X], next_cursor}` → "XPage". */
function pageName(schema: Json): string | undefined {
  const properties = schema.properties as Record<string, Json> | undefined;
  const item = refName((properties?.data as Json | undefined)?.items);
  return item !== undefined && properties?.next_cursor !== undefined ? `${item}Page` : undefined;
}

/** Names `schema` (or reuses the name of an identical one) and returns its $ref. */
function hoist(schemas: Record<string, unknown>, name: string, schema: Json): Json {
  const text = JSON.stringify(schema);
  let candidate = name;
  for (let n = 2; schemas[candidate] !== undefined; n++) {
    if (JSON.stringify(schemas[candidate]) === text) return refTo(candidate);
    candidate = `${name}${n}`;
  }
  schemas[candidate] = schema;
  return refTo(candidate);
}

export function nameInlineSchemas(doc: Json): void {
  const schemas = objectAt(objectAt(doc, "components"), "schemas");
  for (const { operation } of operationsOf(doc)) {
    // @fastify/swagger suffixes a HEAD route's id with "-head" (for HEADs made from GETs); ours are
    // routes of their own whose ids are already unique.
    operation.operationId = operation.operationId?.replace(/-head$/, "");
    if (operation.operationId === undefined) continue;
    const base = pascal(operation.operationId);
    const bodyContent = (operation.requestBody?.content ?? {}) as Record<string, Json>;
    const jsonBody = bodyContent["application/json"];
    if (jsonBody?.schema !== undefined && refName(jsonBody.schema) === undefined) {
      jsonBody.schema = hoist(schemas, `${base}Request`, jsonBody.schema as Json);
    }
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      const content = (response.content ?? {}) as Record<string, Json>;
      const json = content["application/json"];
      if (json?.schema === undefined || refName(json.schema) !== undefined) continue;
      const schema = json.schema as Json;
      if (schema.type !== "object") continue;
      const name = pageName(schema) ?? `${base}${status.startsWith("2") ? "" : status}Response`;
      json.schema = hoist(schemas, name, schema);
    }
  }
  dropUnusedSchemas(doc);
}

/** Removes components.schemas entries that no operation reaches (zod's unused *Input twins). */
function dropUnusedSchemas(doc: Json): void {
  const schemas = ((doc.components as Json).schemas ?? {}) as Record<string, unknown>;
  const reached = new Set<string>();
  const pending = refsIn(doc.paths);
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (reached.has(name)) continue;
    reached.add(name);
    pending.push(...refsIn(schemas[name]));
  }
  for (const name of Object.keys(schemas)) if (!reached.has(name)) delete schemas[name];
}

function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refsIn(v, found);
  else if (typeof value === "object" && value !== null) {
    for (const [key, v] of Object.entries(value)) {
      if (key === "$ref" && typeof v === "string" && v.startsWith("#/components/schemas/")) {
        found.push(v.slice("#/components/schemas/".length));
      } else refsIn(v, found);
    }
  }
  return found;
}
