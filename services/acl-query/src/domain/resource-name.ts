import type { ValidationIssue } from "@strata/errors";
import { ID_PREFIXES, type IdKind, isId } from "@strata/ids";

export const NAME_MAX = 64;
export const DESCRIPTION_MAX = 500;
const NAME_SHAPE = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/**
 * Retriever and alert names follow the namespace service's resource-name rules. A name shares the
 * identifier slot with ids (`GET /v1/retrievers/{id or name}`), so it may never start with the
 * resource's id prefix.
 */
export function isValidResourceName(kind: IdKind, name: string): boolean {
  return (
    name.length >= 1 &&
    name.length <= NAME_MAX &&
    NAME_SHAPE.test(name) &&
    !name.startsWith(`${ID_PREFIXES[kind]}_`) &&
    !isId(kind, name)
  );
}

export function checkResourceName(
  kind: IdKind,
  field: string,
  name: string,
  issues: ValidationIssue[],
): void {
  const location = `body.${field}`;
  if (name.length === 0) {
    issues.push({ location, message: `${field} is required`, type: "missing" });
  } else if (name.length > NAME_MAX) {
    issues.push({
      location,
      message: `${field} must be at most ${NAME_MAX} characters`,
      type: "string_too_long",
    });
  } else if (!isValidResourceName(kind, name)) {
    issues.push({
      location,
      message: `${field} must start with a letter or digit, hold only letters, digits, '_' and '-', and not start with '${ID_PREFIXES[kind]}_'`,
      type: "invalid_format",
    });
  }
}

export function checkDescription(description: string, issues: ValidationIssue[]): void {
  if (description.length > DESCRIPTION_MAX) {
    issues.push({
      location: "body.description",
      message: `description must be at most ${DESCRIPTION_MAX} characters`,
      type: "string_too_long",
    });
  }
}
