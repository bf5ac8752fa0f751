import type { ValidationIssue } from "@strata/errors";
import { isId } from "@strata/ids";

export const NAME_MAX = 64;
export const DESCRIPTION_MAX = 500;
const NAME_SHAPE = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/**
 * Names share the identifier slot with ids (`GET /v1/namespaces/{id or name}`), so a name may never
 * look like a namespace id: anything starting with "ns_" is refused.
 */
export function isValidNamespaceName(name: string): boolean {
  return (
    name.length >= 1 &&
    name.length <= NAME_MAX &&
    NAME_SHAPE.test(name) &&
    !name.startsWith("ns_") &&
    !isId("namespace", name)
  );
}

export function checkName(name: string, issues: ValidationIssue[]): void {
  if (name.length === 0) {
    issues.push({ location: "body.namespace_name", message: "namespace_name is required", type: "missing" });
  } else if (name.length > NAME_MAX) {
    issues.push({
      location: "body.namespace_name",
      message: `namespace_name must be at most ${NAME_MAX} characters`,
      type: "string_too_long",
    });
  } else if (!isValidNamespaceName(name)) {
    issues.push({
      location: "body.namespace_name",
      message:
        "namespace_name must start with a letter or digit, hold only letters, digits, '_' and '-', and not start with 'ns_'",
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
