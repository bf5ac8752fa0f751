import type { ValidationIssue } from "@strata/errors";
import { Ajv } from "ajv";
import { isPlainObject } from "../../shared/json-value.js";

/**
 * The JSON Schema subset a collection's metadata_schema may use. Every node names one `type`, so a
 * metadata field has one type everywhere (the filter translators rely on that). `title` and
 * `description` are annotations and change nothing. Anything else ($ref, oneOf, pattern, format …)
 * is refused with the keywords listed, never ignored.
 */
export const SCHEMA_TYPES = ["object", "string", "number", "integer", "boolean", "array"] as const;
export type SchemaType = (typeof SCHEMA_TYPES)[number];

export const SUPPORTED_KEYWORDS = [
  "type",
  "properties",
  "required",
  "enum",
  "items",
  "minimum",
  "maximum",
  "minLength",
  "maxLength",
  "additionalProperties",
  "title",
  "description",
] as const;

const SUPPORTED = new Set<string>(SUPPORTED_KEYWORDS);
const KEYWORD_TYPES: Readonly<Record<string, readonly SchemaType[]>> = {
  properties: ["object"],
  required: ["object"],
  additionalProperties: ["object"],
  items: ["array"],
  minimum: ["number", "integer"],
  maximum: ["number", "integer"],
  minLength: ["string"],
  maxLength: ["string"],
};

export const SCHEMA_MAX_DEPTH = 8;
export const SCHEMA_MAX_NODES = 1000;
export const SCHEMA_MAX_ENUM = 1000;
export const SCHEMA_MAX_BYTES = 65_536;

class SchemaChecker {
  readonly issues: ValidationIssue[] = [];
  private nodes = 0;

  issue(location: string, message: string, type: string): void {
    if (this.issues.length < 50) this.issues.push({ location, message, type });
  }

  node(schema: unknown, at: string, depth: number): void {
    this.nodes += 1;
    if (this.nodes === SCHEMA_MAX_NODES + 1) {
      this.issue(at, `a metadata schema may hold at most ${SCHEMA_MAX_NODES} schemas`, "too_large");
    }
    if (this.nodes > SCHEMA_MAX_NODES) return;
    if (depth > SCHEMA_MAX_DEPTH) {
      this.issue(at, `a metadata schema may nest at most ${SCHEMA_MAX_DEPTH} levels`, "too_deep");
      return;
    }
    if (!isPlainObject(schema)) {
      this.issue(at, "must be a schema object", "type");
      return;
    }
    const unknown = Object.keys(schema).filter((k) => !SUPPORTED.has(k));
    if (unknown.length > 0) {
      this.issue(
        at,
        `unsupported keyword${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}; supported: ${SUPPORTED_KEYWORDS.join(", ")}`,
        "unsupported_keyword",
      );
    }
    const type = schema.type;
    if (typeof type !== "string" || !(SCHEMA_TYPES as readonly string[]).includes(type)) {
      this.issue(`${at}.type`, `type is required, one of ${SCHEMA_TYPES.join(", ")}`, "invalid_type");
      return;
    }
    const t = type as SchemaType;
    for (const [keyword, types] of Object.entries(KEYWORD_TYPES)) {
      if (schema[keyword] !== undefined && !types.includes(t)) {
        this.issue(
          `${at}.${keyword}`,
          `${keyword} applies to type ${types.join(" or ")}, not ${t}`,
          "keyword_type",
        );
      }
    }
    for (const annotation of ["title", "description"]) {
      const value = schema[annotation];
      if (value !== undefined && typeof value !== "string") {
        this.issue(`${at}.${annotation}`, `${annotation} must be a string`, "type");
      }
    }
    this.objectKeywords(schema, at, depth);
    if (schema.items !== undefined) this.node(schema.items, `${at}.items`, depth + 1);
    else if (t === "array") this.issue(`${at}.items`, "an array schema needs items", "missing");
    this.bounds(schema, at, "minimum", "maximum", false);
    this.bounds(schema, at, "minLength", "maxLength", true);
    if (schema.enum !== undefined) this.enumValues(schema.enum, t, `${at}.enum`);
  }

  private objectKeywords(schema: Record<string, unknown>, at: string, depth: number): void {
    const { properties, required, additionalProperties } = schema;
    let declared = new Set<string>();
    if (properties !== undefined) {
      if (!isPlainObject(properties)) {
        this.issue(`${at}.properties`, "properties must be an object of schemas", "type");
      } else {
        declared = new Set(Object.keys(properties));
        for (const [name, child] of Object.entries(properties)) {
          if (name.length === 0 || name.includes(".") || name.startsWith("$")) {
            this.issue(
              `${at}.properties`,
              `property name ${JSON.stringify(name)} may not be empty, hold "." or start with "$"`,
              "invalid_key",
            );
          }
          this.node(child, `${at}.properties.${name}`, depth + 1);
        }
      }
    }
    if (required !== undefined) {
      const list = Array.isArray(required) ? (required as unknown[]) : undefined;
      if (
        list === undefined ||
        !list.every((r): r is string => typeof r === "string") ||
        new Set(list).size !== list.length
      ) {
        this.issue(`${at}.required`, "required must be a list of distinct property names", "type");
      } else {
        const undeclared = list.filter((r) => !declared.has(r));
        if (undeclared.length > 0) {
          this.issue(
            `${at}.required`,
            `required names undeclared properties: ${undeclared.join(", ")}`,
            "undeclared",
          );
        }
      }
    }
    if (additionalProperties !== undefined && typeof additionalProperties !== "boolean") {
      this.issue(`${at}.additionalProperties`, "additionalProperties must be true or false", "type");
    }
  }

  private bounds(
    schema: Record<string, unknown>,
    at: string,
    low: string,
    high: string,
    counts: boolean,
  ): void {
    const values: number[] = [];
    for (const keyword of [low, high]) {
      const value = schema[keyword];
      if (value === undefined) continue;
      const valid =
        typeof value === "number" &&
        Number.isFinite(value) &&
        (!counts || (Number.isInteger(value) && value >= 0));
      if (!valid) {
        this.issue(
          `${at}.${keyword}`,
          `${keyword} must be a ${counts ? "non-negative integer" : "finite number"}`,
          "type",
        );
      } else {
        values.push(value);
      }
    }
    const [min, max] = values;
    if (values.length === 2 && min !== undefined && max !== undefined && min > max) {
      this.issue(`${at}.${low}`, `${low} must not exceed ${high}`, "range");
    }
  }

  private enumValues(values: unknown, type: SchemaType, at: string): void {
    if (!Array.isArray(values) || values.length === 0 || values.length > SCHEMA_MAX_ENUM) {
      this.issue(at, `enum must be a list of 1..${SCHEMA_MAX_ENUM} values`, "type");
      return;
    }
    const fits = (v: unknown): boolean => {
      switch (type) {
        case "string":
          return typeof v === "string";
        case "number":
          return typeof v === "number" && Number.isFinite(v);
        case "integer":
          return typeof v === "number" && Number.isInteger(v);
        case "boolean":
          return typeof v === "boolean";
        case "object":
        case "array":
          return false;
      }
    };
    const bad = (values as unknown[]).findIndex((v) => !fits(v));
    if (bad >= 0) {
      this.issue(`${at}[${bad}]`, `enum values must be of type ${type} (enum is for scalar types)`, "type");
    } else if (new Set(values).size !== values.length) {
      this.issue(at, "enum values must be distinct", "duplicate");
    }
  }
}

/**
 * Checks a metadata schema against the subset; an empty list means it is valid. The root must be an
 * object schema.
 */
export function checkMetadataSchema(schema: unknown, location = "body.metadata_schema"): ValidationIssue[] {
  const checker = new SchemaChecker();
  const bytes = Buffer.byteLength(JSON.stringify(schema) ?? "", "utf8");
  if (bytes > SCHEMA_MAX_BYTES) {
    checker.issue(
      location,
      `a metadata schema may be at most ${SCHEMA_MAX_BYTES} bytes as JSON`,
      "too_large",
    );
    return checker.issues;
  }
  if (isPlainObject(schema) && schema.type !== "object") {
    checker.issue(`${location}.type`, "the root of a metadata schema must be of type object", "invalid_type");
    return checker.issues;
  }
  checker.node(schema, location, 1);
  if (checker.issues.length === 0) {
    // The subset check should leave nothing Ajv refuses; compiling here makes sure a gap in it
    // answers a validation error instead of failing later when a document is checked.
    try {
      new Ajv({ strict: true }).compile(schema as object);
    } catch (exception: unknown) {
      const reason = exception instanceof Error ? exception.message : String(exception);
      checker.issue(location, `the schema cannot be compiled: ${reason}`, "invalid_schema");
    }
  }
  return checker.issues;
}

/** The schema node at a dotted metadata path, walking `properties` only; undefined when undeclared. */
export function schemaAt(schema: Record<string, unknown>, path: string): Record<string, unknown> | undefined {
  let node: Record<string, unknown> | undefined = schema;
  for (const segment of path.split(".")) {
    const properties: unknown = node?.properties;
    if (!isPlainObject(properties)) return undefined;
    const child: unknown = properties[segment];
    node = isPlainObject(child) ? child : undefined;
  }
  return node;
}
