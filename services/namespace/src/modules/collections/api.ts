// What other modules may use of collections (besides the records in tables.ts).
export { resolveCollection } from "./collection-access.js";
export { arrayFieldsOf } from "./collection-input.js";
