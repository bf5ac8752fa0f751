import type { ValidationIssue } from "@strata/errors";
import { checkResourceName, isValidResourceName } from "@strata/ids";

/** Namespace names follow the resource-name rule of @strata/ids, so none ever starts with "ns_". */
export function isValidNamespaceName(name: string): boolean {
  return isValidResourceName("namespace", name);
}

export function checkName(name: string, issues: ValidationIssue[]): void {
  checkResourceName("namespace", "namespace_name", name, issues);
}
