// What other modules and shared/ may use of namespaces (besides the records in tables.ts).
export { checkName, isValidNamespaceName } from "./namespace-input.js";
export { namespaceIsLive } from "./read-namespaces.js";
