import { type AppError, err, ok, type Result, type ValidationIssue, validationFailed } from "@strata/errors";
import { type FilterJson, filterFields, parseFilter, toFilterJson } from "@strata/filter";
import { isId } from "@strata/ids";
import type { AclEffect } from "../tables.js";

export const RULE_NAME_MAX = 100;
/** Rules of one namespace, in all: each is part of every principal's compiled filter there. */
export const MAX_RULES_PER_NAMESPACE = 100;
const MAX_RULE_COLLECTIONS = 100;
const RULE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export interface RuleFields {
  readonly ruleName?: string | undefined;
  readonly effect?: string | undefined;
  readonly condition?: unknown;
  readonly collectionIds?: readonly string[] | undefined;
}

export interface ValidRuleFields {
  readonly ruleName?: string;
  readonly effect?: AclEffect;
  readonly condition?: FilterJson;
  readonly collectionIds?: readonly string[];
}

/** Checks the fields given (all of them on create, some on update). */
export function checkRuleFields(input: RuleFields, required: boolean): Result<ValidRuleFields, AppError> {
  const issues: ValidationIssue[] = [];
  const out: { -readonly [K in keyof ValidRuleFields]: ValidRuleFields[K] } = {};
  if (input.ruleName !== undefined || required) {
    const name = input.ruleName ?? "";
    if (name.length === 0 || name.length > RULE_NAME_MAX || !RULE_NAME.test(name) || isId("rule", name)) {
      issues.push({
        location: "body.rule_name",
        message: `rule_name is 1..${RULE_NAME_MAX} letters, digits, "_", "." or "-", starting with a letter or digit, and not a rul_ id`,
        type: "invalid_value",
      });
    } else out.ruleName = name;
  }
  if (input.effect !== undefined || required) {
    if (input.effect === "allow" || input.effect === "deny") out.effect = input.effect;
    else
      issues.push({ location: "body.effect", message: 'effect is "allow" or "deny"', type: "invalid_value" });
  }
  if (input.condition !== undefined || required) {
    const parsed = parseFilter(input.condition, { location: "body.condition" });
    if (parsed.ok) {
      out.condition = toFilterJson(parsed.value);
      // Taxonomy filters are expanded per collection by the namespace service; a rule is compiled
      // without it, so it names stored fields only.
      const taxonomyField = filterFields(parsed.value).find((f) => f.startsWith("taxonomies."));
      if (taxonomyField !== undefined) {
        issues.push({
          location: "body.condition",
          message: `${taxonomyField}: ACL rules cannot use taxonomy filters; use metadata fields`,
          type: "unsupported_filter",
        });
      }
    } else issues.push(...validationIssuesOf(parsed.error));
  }
  if (input.collectionIds !== undefined) {
    const ids = [...new Set(input.collectionIds)];
    if (ids.length > MAX_RULE_COLLECTIONS) {
      issues.push({
        location: "body.collection_ids",
        message: `at most ${MAX_RULE_COLLECTIONS}`,
        type: "too_many",
      });
    }
    const bad = ids.findIndex((id) => !isId("collection", id));
    if (bad >= 0) {
      issues.push({
        location: `body.collection_ids[${bad}]`,
        message: "a collection id (col_…)",
        type: "invalid_id",
      });
    }
    out.collectionIds = ids;
  }
  return issues.length > 0 ? err(validationFailed(issues, "ACL rule is invalid")) : ok(out);
}

function validationIssuesOf(error: AppError): ValidationIssue[] {
  const issues = error.details?.validation_errors;
  return Array.isArray(issues) ? (issues as ValidationIssue[]) : [];
}
