export {
  API_KEY_PREFIX,
  apiKeyDisplayStart,
  generateApiKeySecret,
  isWellFormedApiKey,
} from "./api-key-format.js";
export type { IdKind } from "./prefixes.js";
export { ID_PREFIXES, idKindOf, isId, newId } from "./prefixes.js";
