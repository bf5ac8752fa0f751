import { MAX_RETRIEVER_COLLECTIONS, MAX_TOP_K } from "@strata/contracts";
import type { ValidationIssue } from "@strata/errors";

export const TOP_K_DEFAULT = 10;
const IDENTIFIER_MAX = 256;

/** top_k as given: 0 (unset on the wire) takes the default. */
export function checkTopK(topK: number, location: string, issues: ValidationIssue[]): number {
  if (!Number.isInteger(topK) || topK < 1 || topK > MAX_TOP_K) {
    issues.push({
      location,
      message: `top_k must be an integer from 1 to ${MAX_TOP_K}`,
      type: "out_of_range",
    });
  }
  return topK;
}

export function checkScoreThreshold(value: number, location: string, issues: ValidationIssue[]): void {
  if (!Number.isFinite(value)) {
    issues.push({ location, message: "score_threshold must be a finite number", type: "type" });
  }
}

export function checkCollectionIdentifiers(identifiers: readonly string[], issues: ValidationIssue[]): void {
  const location = "body.collection_ids";
  if (identifiers.length === 0) {
    issues.push({ location, message: "collection_ids needs at least one collection", type: "missing" });
  } else if (identifiers.length > MAX_RETRIEVER_COLLECTIONS) {
    issues.push({
      location,
      message: `collection_ids takes at most ${MAX_RETRIEVER_COLLECTIONS} collections`,
      type: "too_long",
    });
  }
  identifiers.forEach((identifier, i) => {
    if (identifier.length === 0 || identifier.length > IDENTIFIER_MAX) {
      issues.push({
        location: `${location}[${i}]`,
        message: `a collection id or name of 1 to ${IDENTIFIER_MAX} characters`,
        type: "invalid_format",
      });
    }
  });
}
