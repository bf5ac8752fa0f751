import { PERMISSIONS, type Permission } from "@strata/access";
import { MAX_PRINCIPAL_LENGTH } from "@strata/contracts";
import { type AppError, err, ok, type Result, type ValidationIssue, validationFailed } from "@strata/errors";
import { isId } from "@strata/ids";

/** A key as the caller asks for it, before validation. Permission names arrive as plain strings. */
export interface NewKeyInput {
  readonly name: string;
  readonly permissions: readonly string[];
  readonly namespaces: readonly string[];
  readonly expiresAt?: Date | undefined;
  readonly principalId?: string | undefined;
  readonly roles: readonly string[];
  readonly attributes?: Readonly<Record<string, unknown>> | undefined;
}

export interface ValidKeyInput {
  readonly name: string;
  readonly permissions: readonly Permission[];
  readonly namespaces: readonly string[];
  readonly expiresAt: Date | null;
  readonly principalId: string | null;
  readonly roles: readonly string[];
  readonly attributes: Readonly<Record<string, unknown>>;
}

export const KEY_NAME_MAX = 100;
const MAX_NAMESPACES = 100;
export const MAX_ROLES = 50;
const ROLE_MAX = 100;
export const ATTRIBUTES_MAX_BYTES = 4096;

export function validateKeyName(name: string, issues: ValidationIssue[]): void {
  if (name.trim().length === 0) {
    issues.push({ location: "body.name", message: "name must not be empty", type: "missing" });
  } else if (name.length > KEY_NAME_MAX) {
    issues.push({
      location: "body.name",
      message: `name must be at most ${KEY_NAME_MAX} characters`,
      type: "string_too_long",
    });
  }
}

export function validateNewKey(input: NewKeyInput, now: Date): Result<ValidKeyInput, AppError> {
  const issues: ValidationIssue[] = [];
  validateKeyName(input.name, issues);
  const permissions = validatePermissions(input.permissions, issues);
  const namespaces = validateNamespaces(input.namespaces, issues);

  if (input.expiresAt !== undefined && input.expiresAt.getTime() <= now.getTime()) {
    issues.push({
      location: "body.expires_at",
      message: "expires_at must be in the future",
      type: "invalid_value",
    });
  }
  if (
    input.principalId !== undefined &&
    (input.principalId.length === 0 || input.principalId.length > MAX_PRINCIPAL_LENGTH)
  ) {
    issues.push({
      location: "body.principal_id",
      message: `principal_id must be 1 to ${MAX_PRINCIPAL_LENGTH} characters`,
      type: "invalid_value",
    });
  }
  const roles = unique(input.roles);
  if (roles.length > MAX_ROLES) {
    issues.push({ location: "body.roles", message: `at most ${MAX_ROLES} roles`, type: "too_many_items" });
  }
  roles.forEach((role, index) => {
    if (role.length === 0 || role.length > ROLE_MAX) {
      issues.push({
        location: `body.roles[${index}]`,
        message: `a role must be 1 to ${ROLE_MAX} characters`,
        type: "invalid_value",
      });
    }
  });
  const attributes = input.attributes ?? {};
  if (JSON.stringify(attributes).length > ATTRIBUTES_MAX_BYTES) {
    issues.push({
      location: "body.attributes",
      message: `attributes must be at most ${ATTRIBUTES_MAX_BYTES} bytes of JSON`,
      type: "too_large",
    });
  }

  if (issues.length > 0) return err(validationFailed(issues));
  return ok({
    name: input.name,
    permissions,
    namespaces,
    expiresAt: input.expiresAt ?? null,
    principalId: input.principalId ?? null,
    roles,
    attributes,
  });
}

function validatePermissions(values: readonly string[], issues: ValidationIssue[]): Permission[] {
  if (values.length === 0) {
    issues.push({
      location: "body.permissions",
      message: "at least one permission is required",
      type: "missing",
    });
    return [];
  }
  const valid: Permission[] = [];
  values.forEach((value, index) => {
    const permission = PERMISSIONS.find((p) => p === value);
    if (permission === undefined) {
      issues.push({
        location: `body.permissions[${index}]`,
        message: `permission must be one of ${PERMISSIONS.join(", ")}`,
        type: "invalid_value",
      });
    } else if (!valid.includes(permission)) {
      valid.push(permission);
    }
  });
  // A stable order keeps stored keys and events comparable.
  return PERMISSIONS.filter((p) => valid.includes(p));
}

function validateNamespaces(values: readonly string[], issues: ValidationIssue[]): string[] {
  const namespaces = unique(values);
  if (namespaces.length > MAX_NAMESPACES) {
    issues.push({
      location: "body.namespaces",
      message: `at most ${MAX_NAMESPACES} namespaces`,
      type: "too_many_items",
    });
  }
  values.forEach((value, index) => {
    if (!isId("namespace", value)) {
      issues.push({
        location: `body.namespaces[${index}]`,
        message: "must be a namespace id (ns_…)",
        type: "invalid_format",
      });
    }
  });
  return namespaces;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
