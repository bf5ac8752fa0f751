import { ID_PREFIXES, type IdKind, isId } from "./prefixes.js";

export const RESOURCE_NAME_MAX = 64;
export const RESOURCE_DESCRIPTION_MAX = 500;
const NAME_SHAPE = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/**
 * The shape of `ValidationIssue` from @strata/errors, spelled out so this lib stays free of
 * dependencies: an array of those is accepted wherever an array of these is asked for.
 */
export interface NameIssue {
  location: string;
  message: string;
  type: string;
}

/**
 * Every user-named resource (namespace, collection, retriever, …) follows one name rule. A name
 * shares the identifier slot with ids (`GET /v1/collections/{id or name}`), so it may never start
 * with the id prefix of its kind.
 */
export function isValidResourceName(kind: IdKind, name: string): boolean {
  return (
    name.length >= 1 &&
    name.length <= RESOURCE_NAME_MAX &&
    NAME_SHAPE.test(name) &&
    !name.startsWith(`${ID_PREFIXES[kind]}_`) &&
    !isId(kind, name)
  );
}

/** Adds an issue for `body.<field>` when `name` breaks the name rule of resources of `kind`. */
export function checkResourceName(kind: IdKind, field: string, name: string, issues: NameIssue[]): void {
  const location = `body.${field}`;
  if (name.length === 0) {
    issues.push({ location, message: `${field} is required`, type: "missing" });
  } else if (name.length > RESOURCE_NAME_MAX) {
    issues.push({
      location,
      message: `${field} must be at most ${RESOURCE_NAME_MAX} characters`,
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

/** Descriptions travel with names on every named resource and share one length limit. */
export function checkResourceDescription(description: string, issues: NameIssue[]): void {
  if (description.length > RESOURCE_DESCRIPTION_MAX) {
    issues.push({
      location: "body.description",
      message: `description must be at most ${RESOURCE_DESCRIPTION_MAX} characters`,
      type: "string_too_long",
    });
  }
}
