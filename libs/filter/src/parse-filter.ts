import type { AppError, Result, ValidationIssue } from "@strata/errors";
import { err, ok, validationFailed } from "@strata/errors";
import { z } from "zod";
import type { CallerRef, FilterNode, Literal } from "./ast.js";
import { OPERATORS } from "./ast.js";
import { CALLER_REF_PREFIX, parseCallerRef } from "./caller-ref.js";
import {
  FIELD_PATH,
  MAX_CONDITIONS,
  MAX_DEPTH,
  MAX_FIELD_LENGTH,
  MAX_ISSUES,
  MAX_SET_VALUES,
  MAX_STRING_LENGTH,
} from "./limits.js";

/**
 * The JSON form, close to Mixpeek's LogicalOperator / FilterCondition:
 * `{"AND": [{"field": "metadata.year", "operator": "gte", "value": 2020}, {"OR": [...]}, {"NOT": [...]}]}`.
 * `operator` defaults to "eq". `NOT: [a, b]` means "neither a nor b". A group with several keys
 * requires all of them.
 */
export type FilterJson =
  | { AND?: FilterJson[]; OR?: FilterJson[]; NOT?: FilterJson[] }
  | { field: string; operator?: string; value?: unknown };

export interface ParseFilterOptions {
  /** Prefix of every issue location, e.g. "body.filters". */
  readonly location?: string;
}

const UNSUPPORTED_MIXPEEK = new Set(["starts_with", "ends_with", "regex", "is_null", "text"]);

const filterList = (key: string) => z.array(z.unknown(), { error: `${key} needs an array of filters` });

const groupSchema = z.strictObject(
  { AND: filterList("AND").optional(), OR: filterList("OR").optional(), NOT: filterList("NOT").optional() },
  { error: (issue) => (issue.code === "unrecognized_keys" ? unknownKeys(issue.keys) : undefined) },
);

const conditionSchema = z.strictObject(
  {
    field: z
      .string({ error: "field must be a string" })
      .max(MAX_FIELD_LENGTH, `field must be at most ${MAX_FIELD_LENGTH} characters`)
      .regex(
        FIELD_PATH,
        "field must be a dotted path of letters, digits and underscores, e.g. metadata.year",
      ),
    operator: z
      .enum(OPERATORS, {
        error: (issue) =>
          typeof issue.input === "string" && UNSUPPORTED_MIXPEEK.has(issue.input)
            ? `operator ${issue.input} is not supported; use one of ${OPERATORS.join(", ")}`
            : `unknown operator ${JSON.stringify(issue.input)}; use one of ${OPERATORS.join(", ")}`,
      })
      .default("eq"),
    value: z.unknown().optional(),
  },
  { error: (issue) => (issue.code === "unrecognized_keys" ? unknownKeys(issue.keys) : undefined) },
);

function unknownKeys(keys: readonly string[]): string {
  return `unknown key ${keys.map((k) => JSON.stringify(k)).join(", ")}; a filter is {field, operator, value} or {AND|OR|NOT: [...]}`;
}

class Parser {
  readonly issues: ValidationIssue[] = [];
  private conditions = 0;

  issue(location: string, message: string, type: string): void {
    if (this.issues.length < MAX_ISSUES) this.issues.push({ location, message, type });
  }

  node(input: unknown, at: string, depth: number): FilterNode | undefined {
    if (typeof input !== "object" || input === null || Array.isArray(input)) {
      this.issue(at, "expected a filter object: {field, operator, value} or {AND|OR|NOT: [...]}", "type");
      return undefined;
    }
    const looksLikeCondition = "field" in input || "operator" in input || "value" in input;
    return looksLikeCondition ? this.condition(input, at) : this.group(input, at, depth + 1);
  }

  private group(input: object, at: string, depth: number): FilterNode | undefined {
    if (depth > MAX_DEPTH) {
      this.issue(at, `filters may nest at most ${MAX_DEPTH} groups deep`, "too_deep");
      return undefined;
    }
    const parsed = groupSchema.safeParse(input);
    if (!parsed.success) return this.zodIssues(parsed.error, at);
    const { AND, OR, NOT } = parsed.data;
    if (AND === undefined && OR === undefined && NOT === undefined) {
      this.issue(at, "expected a condition {field, operator, value} or a group {AND|OR|NOT: [...]}", "empty");
      return undefined;
    }
    const parts: FilterNode[] = [];
    const children = (key: string, list: unknown[]): FilterNode[] | undefined => {
      const nodes = list.map((item, i) => this.node(item, `${join(at, key)}[${i}]`, depth));
      return nodes.every((n): n is FilterNode => n !== undefined) ? nodes : undefined;
    };
    let complete = true;
    if (AND !== undefined) {
      const nodes = children("AND", AND);
      if (nodes) parts.push({ kind: "and", nodes });
      else complete = false;
    }
    if (OR !== undefined) {
      const nodes = children("OR", OR);
      if (nodes) parts.push({ kind: "or", nodes });
      else complete = false;
    }
    if (NOT !== undefined) {
      const nodes = children("NOT", NOT);
      const [only] = nodes ?? [];
      if (nodes) parts.push({ kind: "not", node: nodes.length === 1 && only ? only : { kind: "or", nodes } });
      else complete = false;
    }
    if (!complete) return undefined;
    const [single] = parts;
    return parts.length === 1 && single ? single : { kind: "and", nodes: parts };
  }

  private condition(input: object, at: string): FilterNode | undefined {
    this.conditions += 1;
    if (this.conditions === MAX_CONDITIONS + 1) {
      this.issue(at, `a filter may hold at most ${MAX_CONDITIONS} conditions`, "too_many_conditions");
    }
    if (this.conditions > MAX_CONDITIONS) return undefined;
    const parsed = conditionSchema.safeParse(input);
    if (!parsed.success) return this.zodIssues(parsed.error, at);
    const { field, operator, value } = parsed.data;
    const valueAt = join(at, "value");
    if (value === undefined) {
      this.issue(valueAt, `value is required for operator ${operator}`, "required");
      return undefined;
    }
    switch (operator) {
      case "eq":
      case "ne":
      case "contains": {
        const v = this.literal(value, valueAt, operator);
        return v === undefined ? undefined : { kind: "condition", field, operator, value: v };
      }
      case "gt":
      case "gte":
      case "lt":
      case "lte": {
        const v = this.literal(value, valueAt, operator);
        if (typeof v === "boolean") {
          this.issue(valueAt, `${operator} compares numbers or strings, not booleans`, "type");
          return undefined;
        }
        return v === undefined ? undefined : { kind: "condition", field, operator, value: v };
      }
      case "in":
      case "nin": {
        const v = this.valueSet(value, valueAt, operator);
        return v === undefined ? undefined : { kind: "condition", field, operator, value: v };
      }
      case "exists":
        if (typeof value !== "boolean") {
          this.issue(valueAt, "exists needs true or false", "type");
          return undefined;
        }
        return { kind: "condition", field, operator, value };
    }
  }

  private literal(value: unknown, at: string, operator: string): Literal | CallerRef | undefined {
    if (typeof value === "string") {
      if (value.length > MAX_STRING_LENGTH) {
        this.issue(at, `strings must be at most ${MAX_STRING_LENGTH} characters`, "too_long");
        return undefined;
      }
      if (!value.startsWith(CALLER_REF_PREFIX)) return value;
      const ref = parseCallerRef(value);
      if (!ref) {
        this.issue(
          at,
          `unknown caller reference ${value}; use $user.principal_id, $user.roles or $user.attributes.<name>`,
          "caller_ref",
        );
      }
      return ref;
    }
    if (typeof value === "number") {
      if (Number.isFinite(value)) return value;
      this.issue(at, "numbers must be finite", "type");
      return undefined;
    }
    if (typeof value === "boolean") return value;
    if (value === null) {
      this.issue(at, "null is not a filter value; use exists to test for absent or null fields", "type");
      return undefined;
    }
    this.issue(at, `${operator} needs a string, number or boolean`, "type");
    return undefined;
  }

  private valueSet(
    value: unknown,
    at: string,
    operator: string,
  ): (Literal | CallerRef)[] | CallerRef | undefined {
    if (typeof value === "string" && value.startsWith(CALLER_REF_PREFIX)) {
      const ref = this.literal(value, at, operator);
      return typeof ref === "object" ? ref : undefined;
    }
    if (!Array.isArray(value)) {
      this.issue(at, `${operator} needs an array of strings, numbers or booleans (or $user.roles)`, "type");
      return undefined;
    }
    if (value.length > MAX_SET_VALUES) {
      this.issue(at, `${operator} takes at most ${MAX_SET_VALUES} values`, "too_many_values");
      return undefined;
    }
    const items = value.map((item: unknown, i) => this.literal(item, `${at}[${i}]`, operator));
    return items.every((v) => v !== undefined) ? (items as (Literal | CallerRef)[]) : undefined;
  }

  private zodIssues(error: z.ZodError, at: string): undefined {
    for (const issue of error.issues) {
      const location = issue.path.reduce<string>(
        (loc, key) => (typeof key === "number" ? `${loc}[${key}]` : join(loc, String(key))),
        at,
      );
      this.issue(location, issue.message, issue.code);
    }
    return undefined;
  }
}

function join(at: string, key: string): string {
  return at === "" ? key : `${at}.${key}`;
}

/**
 * Validates user input into a filter AST. Every problem becomes a `validation` issue with its location
 * (e.g. "body.filters.AND[1].value"); user input never makes this throw.
 */
export function parseFilter(json: unknown, options: ParseFilterOptions = {}): Result<FilterNode, AppError> {
  const parser = new Parser();
  const node = parser.node(json, options.location ?? "", 0);
  if (node === undefined || parser.issues.length > 0) {
    return err(validationFailed(parser.issues, "Filter is invalid"));
  }
  return ok(node);
}
