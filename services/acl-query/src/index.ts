export type { RunningService } from "@strata/service-kit";
export type { AclQueryConfig, StoreLocation } from "./config.js";
export { aclQueryConfigSchema, loadAclQueryConfig, storeLocationOf } from "./config.js";
export { DOCUMENT_CREATED_DURABLE } from "./consumers/document-created.js";
export { ALERT_SERVICE_NAME, RETRIEVER_SERVICE_NAME } from "./server.js";
export type { AclQueryServiceDeps, NatsConnection, RunningAclQueryService } from "./start.js";
export { startAclQueryService } from "./start.js";
