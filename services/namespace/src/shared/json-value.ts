import type { ValidationIssue } from "@strata/errors";

/** Plain JSON as stored in a DocStore record. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | JsonObject;
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

export interface JsonLimits {
  /** Nesting depth of objects and arrays. */
  readonly maxDepth: number;
  /** Size of the JSON text in UTF-8 bytes. */
  readonly maxBytes: number;
}

const KEY_MAX = 256;

/**
 * Checks that `value` is a JSON object every store adapter can keep and query: finite numbers (a
 * proto double can carry NaN and Infinity, JSON cannot), keys without "." or a leading "$" (MongoDB
 * reads those as paths and operators), bounded depth and size. Pushes one issue per problem.
 */
export function checkJsonObject(
  value: unknown,
  location: string,
  issues: ValidationIssue[],
  limits: JsonLimits,
): value is JsonObject {
  if (!isPlainObject(value)) {
    issues.push({ location, message: "must be a JSON object", type: "type" });
    return false;
  }
  const before = issues.length;
  walk(value, location, 1, issues, limits);
  if (issues.length === before) {
    const bytes = Buffer.byteLength(JSON.stringify(value), "utf8");
    if (bytes > limits.maxBytes) {
      issues.push({
        location,
        message: `must be at most ${limits.maxBytes} bytes as JSON (is ${bytes})`,
        type: "too_large",
      });
    }
  }
  return issues.length === before;
}

function walk(
  value: unknown,
  at: string,
  depth: number,
  issues: ValidationIssue[],
  limits: JsonLimits,
): void {
  if (issues.length >= 20) return;
  if (value === null || typeof value === "string" || typeof value === "boolean") return;
  if (typeof value === "number") {
    if (!Number.isFinite(value))
      issues.push({ location: at, message: "numbers must be finite", type: "not_finite" });
    return;
  }
  if (Array.isArray(value) || isPlainObject(value)) {
    if (depth > limits.maxDepth) {
      issues.push({ location: at, message: `nests deeper than ${limits.maxDepth} levels`, type: "too_deep" });
      return;
    }
    if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) walk(item, `${at}[${i}]`, depth + 1, issues, limits);
      return;
    }
    for (const [key, item] of Object.entries(value)) {
      if (key.length === 0 || key.length > KEY_MAX || key.includes(".") || key.startsWith("$")) {
        issues.push({
          location: `${at}.${key}`,
          message: `keys must be 1..${KEY_MAX} characters, without "." and not starting with "$"`,
          type: "invalid_key",
        });
        continue;
      }
      walk(item, `${at}.${key}`, depth + 1, issues, limits);
    }
    return;
  }
  issues.push({ location: at, message: "is not a JSON value", type: "type" });
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Structural equality of JSON values (object key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]))
    );
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]))
    );
  }
  return false;
}
