import { MAX_PRINCIPAL_LENGTH } from "@strata/contracts";
import type { ValidationIssue } from "@strata/errors";

import { ATTRIBUTES_MAX_BYTES, MAX_ROLES } from "./key-input.js";

// A principal holds roles and attributes under the same bounds as a key.
const ROLE_MAX = 100;
// Principal ids appear in `_acl` lists beside `role:<name>` entries, so they cannot start with "role:".
const ROLE_PREFIX = "role:";

export function checkPrincipalId(
  id: string,
  issues: ValidationIssue[],
  location = "body.principal_id",
): void {
  if (id.length === 0 || id.length > MAX_PRINCIPAL_LENGTH) {
    issues.push({
      location,
      message: `principal_id is 1..${MAX_PRINCIPAL_LENGTH} characters`,
      type: "invalid_value",
    });
  } else if (id.startsWith(ROLE_PREFIX)) {
    issues.push({ location, message: 'principal_id cannot start with "role:"', type: "invalid_value" });
  }
}

export function checkRoles(roles: readonly string[], issues: ValidationIssue[]): readonly string[] {
  if (roles.length > MAX_ROLES) {
    issues.push({
      location: "body.roles",
      message: `at most ${MAX_ROLES} roles`,
      type: "too_many",
    });
  }
  const bad = roles.findIndex((r) => r.length === 0 || r.length > ROLE_MAX);
  if (bad >= 0) {
    issues.push({
      location: `body.roles[${bad}]`,
      message: `a role is 1..${ROLE_MAX} characters`,
      type: "invalid_value",
    });
  }
  return [...new Set(roles)].sort();
}

export function checkAttributes(
  attributes: Readonly<Record<string, unknown>>,
  issues: ValidationIssue[],
): void {
  if (Buffer.byteLength(JSON.stringify(attributes), "utf8") > ATTRIBUTES_MAX_BYTES) {
    issues.push({
      location: "body.attributes",
      message: `attributes take at most ${ATTRIBUTES_MAX_BYTES} bytes of JSON`,
      type: "too_large",
    });
  }
}
