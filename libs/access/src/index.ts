export type { AclVisibility, Caller, Permission, RankedPermission } from "./caller.js";
export { actsForPrincipal, canReachNamespace, hasPermission, PERMISSIONS } from "./caller.js";
