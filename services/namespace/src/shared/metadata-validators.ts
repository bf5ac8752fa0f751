import type { ValidationIssue } from "@strata/errors";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import type { CollectionRecord } from "../modules/collections/tables.js";
import type { JsonObject } from "./json-value.js";

const MAX_ISSUES = 20;

/**
 * Validates document metadata against collection schemas. Each (collection, schema version) is
 * compiled once; the least recently used validators are dropped past `capacity` (and removed from
 * Ajv, which otherwise keeps every compiled schema).
 */
export class MetadataValidators {
  private readonly ajv = new Ajv({ allErrors: true, strict: true });
  private readonly compiled = new Map<string, { schema: object; validate: ValidateFunction }>();

  constructor(private readonly capacity = 256) {}

  validate(
    collection: Pick<CollectionRecord, "id" | "schema_version" | "metadata_schema">,
    metadata: JsonObject,
    location = "body.metadata",
  ): ValidationIssue[] {
    if (collection.metadata_schema === null) return [];
    const validate = this.validatorFor(collection.id, collection.schema_version, collection.metadata_schema);
    if (validate(metadata)) return [];
    return (validate.errors ?? []).slice(0, MAX_ISSUES).map((e) => toIssue(e, location));
  }

  /**
   * Checks metadata against a schema that is not stored yet (a collection update re-checking its
   * documents); compiles it once and forgets it afterwards. Stops after a few issues.
   */
  checkAgainst(
    schema: JsonObject,
    items: Iterable<{ metadata: JsonObject; location: string }>,
  ): ValidationIssue[] {
    const validate = this.ajv.compile(schema);
    const issues: ValidationIssue[] = [];
    try {
      for (const item of items) {
        if (!validate(item.metadata))
          issues.push(...(validate.errors ?? []).map((e) => toIssue(e, item.location)));
        if (issues.length >= MAX_ISSUES) break;
      }
      return issues.slice(0, MAX_ISSUES);
    } finally {
      this.ajv.removeSchema(schema);
    }
  }

  private validatorFor(id: string, version: number, schema: JsonObject): ValidateFunction {
    const key = `${id}@${version}`;
    const hit = this.compiled.get(key);
    if (hit !== undefined) {
      // Re-insert: Map order is the recency order.
      this.compiled.delete(key);
      this.compiled.set(key, hit);
      return hit.validate;
    }
    const entry = { schema, validate: this.ajv.compile(schema) };
    this.compiled.set(key, entry);
    while (this.compiled.size > this.capacity) {
      const [oldestKey, oldest] = this.compiled.entries().next().value ?? [];
      if (oldestKey === undefined || oldest === undefined) break;
      this.compiled.delete(oldestKey);
      this.ajv.removeSchema(oldest.schema);
    }
    return entry.validate;
  }
}

function toIssue(error: ErrorObject, location: string): ValidationIssue {
  const path = error.instancePath
    .split("/")
    .slice(1)
    .map((segment) => segment.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce((at, segment) => (/^\d+$/.test(segment) ? `${at}[${segment}]` : `${at}.${segment}`), location);
  const params = error.params as Record<string, unknown>;
  const extra =
    typeof params.missingProperty === "string"
      ? `.${params.missingProperty}`
      : typeof params.additionalProperty === "string"
        ? `.${params.additionalProperty}`
        : "";
  const allowed = Array.isArray(params.allowedValues) ? `: ${JSON.stringify(params.allowedValues)}` : "";
  return {
    location: `${path}${extra}`,
    message: `${error.message ?? "is invalid"}${allowed}`,
    type: `schema_${error.keyword}`,
  };
}
