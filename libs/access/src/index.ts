export type { Caller, Permission } from "./caller.js";
export { canReachNamespace, hasPermission, PERMISSIONS } from "./caller.js";
