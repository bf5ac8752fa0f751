// The dimension limit is the contracts' (Qdrant allows 65,536; S3 Vectors 4,096).
import { MAX_DIMENSIONS, METRICS } from "@strata/contracts";
import type { AppError, Result, ValidationIssue } from "@strata/errors";
import { err, ok, validationFailed } from "@strata/errors";
import type { HotRecord, HotSearch, HotSpace } from "./port.js";
import { MAX_K } from "./port.js";

export function validateSpace(space: HotSpace): Result<void, AppError> {
  const issues: ValidationIssue[] = [];
  if (!Number.isInteger(space.dimensions) || space.dimensions < 1 || space.dimensions > MAX_DIMENSIONS) {
    issues.push(issue("space.dimensions", `must be an integer from 1 to ${MAX_DIMENSIONS}`));
  }
  if (!METRICS.includes(space.metric))
    issues.push(issue("space.metric", `must be one of ${METRICS.join(", ")}`));
  if (space.namespaceId.length === 0) issues.push(issue("space.namespaceId", "must not be empty"));
  if (space.featureUri.length === 0) issues.push(issue("space.featureUri", "must not be empty"));
  return issues.length === 0 ? ok(undefined) : err(validationFailed(issues, "Invalid vector space"));
}

export function validateVector(
  vector: Float32Array | readonly number[],
  dimensions: number,
  location: string,
): ValidationIssue | undefined {
  if (vector.length !== dimensions) {
    return {
      location,
      message: `expected ${dimensions} dimensions, got ${vector.length}`,
      type: "dimension_mismatch",
    };
  }
  for (let i = 0; i < vector.length; i++) {
    const x = vector[i];
    // Float32 overflow (|x| > 3.4e38) would store Infinity: reject it like Infinity itself.
    if (typeof x !== "number" || !Number.isFinite(x) || !Number.isFinite(Math.fround(x))) {
      return { location: `${location}[${i}]`, message: "must be a finite number", type: "not_finite" };
    }
  }
  return undefined;
}

export function validateRecords(space: HotSpace, records: readonly HotRecord[]): Result<void, AppError> {
  const issues: ValidationIssue[] = [];
  records.forEach((r, i) => {
    if (typeof r.id !== "string" || r.id.length === 0)
      issues.push(issue(`records[${i}].id`, "must not be empty"));
    if (typeof r.collectionId !== "string" || r.collectionId.length === 0) {
      issues.push(issue(`records[${i}].collectionId`, "must not be empty"));
    }
    if (typeof r.payload !== "object" || r.payload === null || Array.isArray(r.payload)) {
      issues.push(issue(`records[${i}].payload`, "must be an object"));
    }
    const bad = validateVector(r.vector, space.dimensions, `records[${i}].vector`);
    if (bad) issues.push(bad);
  });
  return issues.length === 0 ? ok(undefined) : err(validationFailed(issues.slice(0, 20), "Invalid vectors"));
}

export function validateSearch(space: HotSpace, query: HotSearch): Result<void, AppError> {
  const issues: ValidationIssue[] = [];
  if (!Number.isInteger(query.k) || query.k < 1 || query.k > MAX_K) {
    issues.push(issue("k", `must be an integer from 1 to ${MAX_K}`));
  }
  const bad = validateVector(query.vector, space.dimensions, "vector");
  if (bad) issues.push(bad);
  if (query.scoreThreshold !== undefined && !Number.isFinite(query.scoreThreshold)) {
    issues.push(issue("scoreThreshold", "must be a finite number"));
  }
  return issues.length === 0 ? ok(undefined) : err(validationFailed(issues, "Invalid search"));
}

function issue(location: string, message: string): ValidationIssue {
  return { location, message, type: "invalid" };
}
