import type { CallerRef } from "./ast.js";
import { FIELD_PATH } from "./limits.js";

export const CALLER_REF_PREFIX = "$user.";

/**
 * Reads `$user.principal_id` (or `$user.id`), `$user.roles` or `$user.attributes.<path>`. Any other `$user.` string is
 * a mistake (undefined), never a literal: a typo must not silently turn into a string comparison.
 */
export function parseCallerRef(text: string): CallerRef | undefined {
  if (!text.startsWith(CALLER_REF_PREFIX)) return undefined;
  const path = text.slice(CALLER_REF_PREFIX.length);
  // `$user.id` is the spelling of the principal id.
  if (path === "id") return { kind: "caller_ref", path: "principal_id" };
  if (path === "principal_id" || path === "roles") return { kind: "caller_ref", path };
  if (path.startsWith("attributes.") && FIELD_PATH.test(path)) return { kind: "caller_ref", path };
  return undefined;
}

export function formatCallerRef(ref: CallerRef): string {
  return `${CALLER_REF_PREFIX}${ref.path}`;
}
