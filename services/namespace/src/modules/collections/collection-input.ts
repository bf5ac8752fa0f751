import { FEATURE_URI_FORMAT, MAX_DIMENSIONS, METRICS, parseFeatureUri } from "@strata/contracts";
import type { ValidationIssue } from "@strata/errors";
import { extractorFor } from "@strata/extractors";
import { isPlainObject, type JsonObject } from "../../shared/json-value.js";
import { schemaAt } from "./metadata-schema.js";
import type { FeatureRecord, Metric } from "./tables.js";

export const MAX_FEATURES = 16;
export const MAX_INDEXED_FIELDS = 64;
const INDEXED_FIELD = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){0,7}$/;

export interface FeatureInput {
  readonly featureUri: string;
  readonly dimensions: number;
  /** Undefined when the caller named none (proto's UNSPECIFIED). */
  readonly metric: Metric | undefined;
}

/** At least one feature, each with a well-formed URI, 1..MAX_DIMENSIONS dimensions and a metric; no URI twice. */
export function checkFeatures(
  features: readonly FeatureInput[],
  issues: ValidationIssue[],
  location = "body.features",
): FeatureRecord[] {
  if (features.length === 0) {
    issues.push({ location, message: "a collection declares at least one feature", type: "missing" });
  } else if (features.length > MAX_FEATURES) {
    issues.push({
      location,
      message: `a collection declares at most ${MAX_FEATURES} features`,
      type: "too_many",
    });
  }
  const seen = new Set<string>();
  const records: FeatureRecord[] = [];
  features.forEach((feature, i) => {
    const at = `${location}[${i}]`;
    const parsed = parseFeatureUri(feature.featureUri);
    if (parsed === undefined) {
      issues.push({
        location: `${at}.feature_uri`,
        message: `feature_uri ${JSON.stringify(feature.featureUri)} is not of the form ${FEATURE_URI_FORMAT}`,
        type: "invalid_feature_uri",
      });
    } else if (seen.has(parsed.uri)) {
      issues.push({
        location: `${at}.feature_uri`,
        message: `feature ${parsed.uri} is declared twice`,
        type: "duplicate",
      });
    } else {
      seen.add(parsed.uri);
    }
    if (
      !Number.isInteger(feature.dimensions) ||
      feature.dimensions < 1 ||
      feature.dimensions > MAX_DIMENSIONS
    ) {
      issues.push({
        location: `${at}.dimensions`,
        message: `dimensions must be an integer in 1..${MAX_DIMENSIONS}`,
        type: "out_of_range",
      });
    }
    if (feature.metric === undefined || !(METRICS as readonly string[]).includes(feature.metric)) {
      issues.push({
        location: `${at}.metric`,
        message: `metric must be one of ${METRICS.join(", ")}`,
        type: "invalid_metric",
      });
    }
    const builtIn = parsed === undefined ? undefined : extractorFor(parsed.uri);
    if (
      builtIn !== undefined &&
      (feature.dimensions !== builtIn.dimensions || feature.metric !== builtIn.metric)
    ) {
      // The platform fills this feature from a document's text: its shape is the extractor's.
      issues.push({
        location: at,
        message: `${builtIn.featureUri} is a built-in extractor: declare it with dimensions ${builtIn.dimensions} and metric ${builtIn.metric}`,
        type: "extractor_mismatch",
      });
    }
    if (parsed !== undefined && feature.metric !== undefined) {
      records.push({ feature_uri: parsed.uri, dimensions: feature.dimensions, metric: feature.metric });
    }
  });
  return records;
}

/**
 * Indexed fields are dotted paths inside metadata, distinct. With a schema, each must name a
 * declared scalar property or array of scalars reached through `properties` only (a store path
 * does not reach into arrays).
 */
export function checkIndexedFields(
  fields: readonly string[],
  schema: JsonObject | null,
  issues: ValidationIssue[],
  location = "body.indexed_fields",
): void {
  if (fields.length > MAX_INDEXED_FIELDS) {
    issues.push({ location, message: `at most ${MAX_INDEXED_FIELDS} indexed fields`, type: "too_many" });
  }
  const seen = new Set<string>();
  fields.forEach((field, i) => {
    const at = `${location}[${i}]`;
    if (!INDEXED_FIELD.test(field)) {
      issues.push({
        location: at,
        message:
          "an indexed field is a dotted path inside metadata, e.g. category or specs.year (without a metadata. prefix)",
        type: "invalid_format",
      });
      return;
    }
    if (seen.has(field)) {
      issues.push({ location: at, message: `${field} is listed twice`, type: "duplicate" });
      return;
    }
    seen.add(field);
    if (schema === null) return;
    const node = schemaAt(schema, field);
    const type = node?.type;
    const itemType = isPlainObject(node?.items) ? node.items.type : undefined;
    const scalar = (t: unknown) => t === "string" || t === "number" || t === "integer" || t === "boolean";
    if (node === undefined) {
      issues.push({
        location: at,
        message: `${field} is not declared by the metadata schema`,
        type: "undeclared",
      });
    } else if (!(scalar(type) || (type === "array" && scalar(itemType)))) {
      issues.push({
        location: at,
        message: `${field} must be a string, number, integer or boolean field, or an array of those`,
        type: "not_indexable",
      });
    }
  });
}

/** Metadata paths (as filter fields, `metadata.<path>`) that the schema declares as arrays. */
export function arrayFieldsOf(schema: JsonObject | null, indexedFields: readonly string[]): Set<string> {
  const result = new Set<string>();
  if (schema === null) return result;
  for (const field of indexedFields) {
    if (schemaAt(schema, field)?.type === "array") result.add(`metadata.${field}`);
  }
  return result;
}
