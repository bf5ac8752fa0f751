import type { Caller } from "@strata/access";
import { type AppError, err, ok, type Result, type ValidationIssue, validationFailed } from "@strata/errors";
import type { TieringPorts } from "./ports.js";
import { checkNamespace } from "./scope.js";
import { POLICIES_TABLE, type PolicyRecord } from "./tables.js";

/** A policy as callers send and read it; null switches a move off. */
export interface PolicyFields {
  readonly hot_to_warm_after_days: number | null;
  readonly warm_to_cold_after_days: number | null;
  readonly cold_to_archive_after_days: number | null;
  readonly promote_after_accesses: number | null;
  readonly promote_window_hours: number | null;
  readonly collection_ids: readonly string[];
}

export interface StoredPolicy {
  readonly policy: PolicyFields;
  /** Undefined when the namespace has none (everything off). */
  readonly updatedAt: Date | undefined;
}

export const POLICY_OFF: PolicyFields = {
  hot_to_warm_after_days: null,
  warm_to_cold_after_days: null,
  cold_to_archive_after_days: null,
  promote_after_accesses: null,
  promote_window_hours: null,
  collection_ids: [],
};

const MAX_DAYS = 36_500;
/** Hour counts are kept this long, so no promotion window may be longer. */
export const MAX_PROMOTE_WINDOW_HOURS = 24 * 30;

export function policyOf(record: PolicyRecord): PolicyFields {
  return {
    hot_to_warm_after_days: record.hot_to_warm_after_days,
    warm_to_cold_after_days: record.warm_to_cold_after_days,
    cold_to_archive_after_days: record.cold_to_archive_after_days,
    promote_after_accesses: record.promote_after_accesses,
    promote_window_hours: record.promote_window_hours,
    collection_ids: record.collection_ids,
  };
}

export async function getPolicy(
  ports: TieringPorts,
  caller: Caller,
  namespaceId: string,
): Promise<Result<StoredPolicy, AppError>> {
  const denied = await checkNamespace(ports, caller, namespaceId, "read");
  if (denied !== undefined) return err(denied);
  const found = await ports.store.table<PolicyRecord>(POLICIES_TABLE).get(namespaceId);
  if (found === undefined || found.record.organization_id !== caller.organizationId) {
    return ok({ policy: POLICY_OFF, updatedAt: undefined });
  }
  return ok({ policy: policyOf(found.record), updatedAt: new Date(found.record.updated_at) });
}

/** Every problem of the values alone (ranges, pairs). */
export function policyIssues(policy: PolicyFields): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const days = ["hot_to_warm_after_days", "warm_to_cold_after_days", "cold_to_archive_after_days"] as const;
  for (const field of days) {
    const value = policy[field];
    if (value !== null && !(Number.isFinite(value) && value > 0 && value <= MAX_DAYS)) {
      issues.push(issue(field, `must be null (off) or a number of days in (0, ${MAX_DAYS}]`, "out_of_range"));
    }
  }
  const accesses = policy.promote_after_accesses;
  if (accesses !== null && !(Number.isInteger(accesses) && accesses >= 1 && accesses <= 1_000_000)) {
    issues.push(
      issue("promote_after_accesses", "must be null (off) or an integer in [1, 1000000]", "out_of_range"),
    );
  }
  const hours = policy.promote_window_hours;
  if (hours !== null && !(Number.isFinite(hours) && hours > 0 && hours <= MAX_PROMOTE_WINDOW_HOURS)) {
    issues.push(
      issue(
        "promote_window_hours",
        `must be null (off) or hours in (0, ${MAX_PROMOTE_WINDOW_HOURS}]`,
        "out_of_range",
      ),
    );
  }
  if ((accesses === null) !== (hours === null)) {
    const missing = accesses === null ? "promote_after_accesses" : "promote_window_hours";
    issues.push(
      issue(missing, "promote_after_accesses and promote_window_hours are set together", "missing"),
    );
  }
  const seen = new Set<string>();
  policy.collection_ids.forEach((id, i) => {
    if (id === "") issues.push(issue(`collection_ids[${i}]`, "must not be empty", "invalid"));
    else if (seen.has(id)) issues.push(issue(`collection_ids[${i}]`, `'${id}' is listed twice`, "duplicate"));
    seen.add(id);
  });
  return issues;
}

/**
 * Replaces the namespace's policy after checking it against the namespace's collections: each
 * listed collection must exist, and when S3 Vectors holds the warm tier a collection with a
 * dot-product feature cannot be demoted to warm (S3 Vectors has cosine and euclidean only).
 */
export async function setPolicy(
  ports: TieringPorts,
  caller: Caller,
  namespaceId: string,
  policy: PolicyFields,
): Promise<Result<StoredPolicy, AppError>> {
  const denied = await checkNamespace(ports, caller, namespaceId, "admin");
  if (denied !== undefined) return err(denied);
  const issues = policyIssues(policy);
  const collections = await ports.directory.collections(caller, namespaceId);
  if (!collections.ok) return collections;
  const known = new Map(collections.value.map((c) => [c.collectionId, c]));
  policy.collection_ids.forEach((id, i) => {
    if (id !== "" && !known.has(id)) {
      issues.push(
        issue(`collection_ids[${i}]`, `collection '${id}' does not exist in the namespace`, "not_found"),
      );
    }
  });
  if (policy.hot_to_warm_after_days !== null && ports.settings.warmBackend === "s3vectors") {
    const covered =
      policy.collection_ids.length === 0
        ? collections.value
        : collections.value.filter((c) => policy.collection_ids.includes(c.collectionId));
    for (const collection of covered.filter((c) => c.metrics.includes("dot"))) {
      issues.push(
        issue(
          "hot_to_warm_after_days",
          `collection '${collection.collectionName}' (${collection.collectionId}) has a dot-product feature, which the warm tier (S3 Vectors: cosine and euclidean only) cannot hold; list the other collections in collection_ids`,
          "unsupported_metric",
        ),
      );
    }
  }
  if (issues.length > 0) return err(validationFailed(issues, "The tiering policy is invalid"));
  const now = ports.clock();
  const record: PolicyRecord = {
    id: namespaceId,
    organization_id: caller.organizationId,
    ...policy,
    collection_ids: [...policy.collection_ids],
    updated_at: now.toISOString(),
    reconciled_at: null,
  };
  const saved = await ports.store.transaction(async (tx) => {
    const table = tx.table<PolicyRecord>(POLICIES_TABLE);
    const existing = await table.get(namespaceId);
    // Reads count from the policy's first setting (ADR 0046); one set before then has no date.
    const since = existing?.record.accesses_counted_since;
    const written =
      existing === undefined
        ? await table.insert({ ...record, accesses_counted_since: record.updated_at })
        : await table.replace(
            {
              ...record,
              reconciled_at: existing.record.reconciled_at,
              ...(since === undefined ? {} : { accesses_counted_since: since }),
            },
            existing.version,
          );
    return written.ok ? ok(undefined) : err(written.error);
  });
  if (!saved.ok) return setPolicy(ports, caller, namespaceId, policy);
  return ok({ policy: policyOf(record), updatedAt: now });
}

function issue(field: string, message: string, type: string): ValidationIssue {
  return { location: `body.${field}`, message, type };
}
