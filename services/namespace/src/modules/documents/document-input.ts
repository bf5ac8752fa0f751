import { MAX_ACL_ENTRIES, MAX_JSON_DEPTH, MAX_PRINCIPAL_LENGTH, parseFeatureUri } from "@strata/contracts";
import type { ValidationIssue } from "@strata/errors";
import type { JsonLimits } from "../../shared/json-value.js";
import { numbersOf } from "../../shared/vectors/numbers.js";
import type { CollectionRecord } from "../collections/tables.js";
import { byFeatureUri, type DocumentAcl, type StoredVector } from "./tables.js";

export const DOCUMENT_ID_MAX = 128;
// Client-chosen ids travel in URLs: letters, digits and _ . : - only.
const DOCUMENT_ID_SHAPE = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;
export const METADATA_LIMITS: JsonLimits = { maxDepth: MAX_JSON_DEPTH, maxBytes: 65_536 };
export const TEXT_MAX = 262_144;

export function checkDocumentId(id: string, issues: ValidationIssue[], location = "body.document_id"): void {
  if (id.length === 0 || id.length > DOCUMENT_ID_MAX || !DOCUMENT_ID_SHAPE.test(id)) {
    issues.push({
      location,
      message: `document_id is 1..${DOCUMENT_ID_MAX} characters: letters, digits, '_', '.', ':' and '-', starting with a letter or digit`,
      type: "invalid_format",
    });
  }
}

const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * The index of the first value that is not a finite number within float32 range (vector stores keep
 * float32: a larger magnitude would turn into Infinity there), or -1. A plain loop: it runs on every
 * number of every ingested vector.
 */
function firstBadValue(values: VectorValues): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number" || !(Math.abs(v) <= FLOAT32_MAX)) return i;
  }
  return -1;
}

function isAllZeros(values: VectorValues): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) return false;
  return true;
}

/** A vector as given: JSON numbers, or float32 values from a packed upload. */
export type VectorValues = readonly number[] | Float32Array;

/**
 * Vectors by feature URI: an object, or a list of entries (which, unlike an object, can hold the
 * same URI twice — a batch item giving a URI both as numbers and packed — so that is refused).
 */
export type FeatureVectors =
  | Readonly<Record<string, VectorValues>>
  | ReadonlyArray<readonly [string, VectorValues]>;

/**
 * Vectors by feature URI (either scheme). Each URI must be declared by the collection, each vector
 * must have the declared dimension and finite numbers only, and a cosine vector cannot be all zeros
 * (it has no direction). A document may leave declared features out.
 */
export function checkVectors(
  collection: Pick<CollectionRecord, "features">,
  features: FeatureVectors,
  issues: ValidationIssue[],
  location = "body.features",
): StoredVector[] {
  const vectors: StoredVector[] = [];
  const seen = new Set<string>();
  for (const [key, values] of Array.isArray(features) ? features : Object.entries(features)) {
    const at = `${location}[${JSON.stringify(key)}]`;
    const uri = parseFeatureUri(key)?.uri;
    const declared = collection.features.find((f) => f.feature_uri === uri);
    if (uri === undefined || declared === undefined) {
      issues.push({
        location: at,
        message: `feature ${JSON.stringify(key)} is not declared by the collection (declared: ${collection.features.map((f) => f.feature_uri).join(", ")})`,
        type: "unknown_feature",
      });
      continue;
    }
    if (seen.has(uri)) {
      issues.push({ location: at, message: `feature ${uri} is given twice`, type: "duplicate" });
      continue;
    }
    seen.add(uri);
    if (values.length !== declared.dimensions) {
      issues.push({
        location: at,
        message: `expected ${declared.dimensions} numbers for ${uri}, got ${values.length}`,
        type: "dimension_mismatch",
      });
      continue;
    }
    const bad = firstBadValue(values);
    if (bad >= 0) {
      issues.push({
        location: `${at}[${bad}]`,
        message:
          "vector values must be finite numbers within float32 range (|x| ≤ 3.4e38; no NaN or Infinity)",
        type: "not_finite",
      });
      continue;
    }
    if (declared.metric === "cosine" && isAllZeros(values)) {
      issues.push({ location: at, message: "a cosine vector cannot be all zeros", type: "zero_vector" });
      continue;
    }
    vectors.push({ feature_uri: uri, vector: numbersOf(values) });
  }
  return vectors.sort(byFeatureUri);
}

export function checkText(text: string, issues: ValidationIssue[], location = "body.text"): void {
  if (text.length > TEXT_MAX) {
    issues.push({
      location,
      message: `text must be at most ${TEXT_MAX} characters`,
      type: "string_too_long",
    });
  }
}

export interface AclInput {
  readonly owner?: string | null | undefined;
  readonly read: readonly string[];
  readonly write: readonly string[];
  /** Undefined: not public (visible to org keys, and to principals the ACL or a rule lets in). */
  readonly public?: boolean | undefined;
}

/** The stored ACL, as given; enforced by the compiled visibility filter (ADR 0018). */
export function checkAcl(acl: AclInput, issues: ValidationIssue[], location = "body._acl"): DocumentAcl {
  const principal = (value: string) => value.length >= 1 && value.length <= MAX_PRINCIPAL_LENGTH;
  if (acl.owner !== undefined && acl.owner !== null && !principal(acl.owner)) {
    issues.push({
      location: `${location}.owner`,
      message: `owner is 1..${MAX_PRINCIPAL_LENGTH} characters`,
      type: "invalid_format",
    });
  }
  for (const list of ["read", "write"] as const) {
    const values = acl[list];
    if (values.length > MAX_ACL_ENTRIES || !values.every(principal)) {
      issues.push({
        location: `${location}.${list}`,
        message: `${list} lists at most ${MAX_ACL_ENTRIES} principals or role:<name> entries of 1..${MAX_PRINCIPAL_LENGTH} characters`,
        type: "invalid_format",
      });
    }
  }
  return {
    owner: acl.owner ?? null,
    read: [...new Set(acl.read)],
    write: [...new Set(acl.write)],
    public: acl.public ?? false,
  };
}
