export {
  API_KEY_PREFIX,
  apiKeyDisplayStart,
  generateApiKeySecret,
  isWellFormedApiKey,
} from "./api-key-format.js";
export type { CloneIdTarget } from "./clone-id.js";
export { cloneIdOf } from "./clone-id.js";
export type { IdKind } from "./prefixes.js";
export {
  ID_PREFIXES,
  idFromSeed,
  idKindOf,
  isId,
  newId,
  timeOrderedIdFromSeed,
  timeOrderedUuid,
} from "./prefixes.js";
export type { NameIssue } from "./resource-name.js";
export {
  checkResourceDescription,
  checkResourceName,
  isValidResourceName,
  RESOURCE_DESCRIPTION_MAX,
  RESOURCE_NAME_MAX,
} from "./resource-name.js";
