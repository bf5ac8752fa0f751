// What the platform launcher starts this service with; nothing else.
export type { AclQueryConfig } from "./config.js";
export { aclQueryConfigSchema } from "./config.js";
export type { AclQueryServiceDeps, RunningAclQueryService } from "./start.js";
export { startAclQueryService } from "./start.js";
