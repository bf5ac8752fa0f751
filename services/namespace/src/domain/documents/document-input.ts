import type { ValidationIssue } from "@strata/errors";
import type { CollectionRecord } from "../collections/collection-tables.js";
import { parseFeatureUri } from "../collections/feature-uri.js";
import type { JsonLimits } from "../json-value.js";
import type { DocumentAcl, StoredVector } from "./document-tables.js";

export const DOCUMENT_ID_MAX = 128;
// Client-chosen ids travel in URLs: letters, digits and _ . : - only.
const DOCUMENT_ID_SHAPE = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;
export const METADATA_LIMITS: JsonLimits = { maxDepth: 16, maxBytes: 65_536 };
export const TEXT_MAX = 262_144;
export const ACL_LIST_MAX = 1000;
export const PRINCIPAL_MAX = 256;

export function checkDocumentId(id: string, issues: ValidationIssue[], location = "body.document_id"): void {
  if (id.length === 0 || id.length > DOCUMENT_ID_MAX || !DOCUMENT_ID_SHAPE.test(id)) {
    issues.push({
      location,
      message: `document_id is 1..${DOCUMENT_ID_MAX} characters: letters, digits, '_', '.', ':' and '-', starting with a letter or digit`,
      type: "invalid_format",
    });
  }
}

/**
 * Vectors by feature URI (either scheme). Each URI must be declared by the collection, each vector
 * must have the declared dimension and finite numbers only, and a cosine vector cannot be all zeros
 * (it has no direction). A document may leave declared features out.
 */
export function checkVectors(
  collection: Pick<CollectionRecord, "features">,
  features: Readonly<Record<string, readonly number[]>>,
  issues: ValidationIssue[],
  location = "body.features",
): StoredVector[] {
  const vectors: StoredVector[] = [];
  const seen = new Set<string>();
  for (const [key, values] of Object.entries(features)) {
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
    const bad = values.findIndex((v) => typeof v !== "number" || !Number.isFinite(v));
    if (bad >= 0) {
      issues.push({
        location: `${at}[${bad}]`,
        message: "vector values must be finite numbers (no NaN or Infinity)",
        type: "not_finite",
      });
      continue;
    }
    if (declared.metric === "cosine" && values.every((v) => v === 0)) {
      issues.push({ location: at, message: "a cosine vector cannot be all zeros", type: "zero_vector" });
      continue;
    }
    vectors.push({ feature_uri: uri, vector: [...values] });
  }
  return vectors.sort((a, b) => (a.feature_uri < b.feature_uri ? -1 : a.feature_uri > b.feature_uri ? 1 : 0));
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
  readonly public: boolean;
}

/** The stored ACL; enforcement is acl-query's (a later issue). */
export function checkAcl(acl: AclInput, issues: ValidationIssue[], location = "body._acl"): DocumentAcl {
  const principal = (value: string) => value.length >= 1 && value.length <= PRINCIPAL_MAX;
  if (acl.owner !== undefined && acl.owner !== null && !principal(acl.owner)) {
    issues.push({
      location: `${location}.owner`,
      message: `owner is 1..${PRINCIPAL_MAX} characters`,
      type: "invalid_format",
    });
  }
  for (const list of ["read", "write"] as const) {
    const values = acl[list];
    if (values.length > ACL_LIST_MAX || !values.every(principal)) {
      issues.push({
        location: `${location}.${list}`,
        message: `${list} lists at most ${ACL_LIST_MAX} principals or role:<name> entries of 1..${PRINCIPAL_MAX} characters`,
        type: "invalid_format",
      });
    }
  }
  return {
    owner: acl.owner ?? null,
    read: [...new Set(acl.read)],
    write: [...new Set(acl.write)],
    public: acl.public,
  };
}
