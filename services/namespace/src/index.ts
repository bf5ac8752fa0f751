export type { NamespaceConfig, StoreLocation } from "./config.js";
export { loadNamespaceConfig, namespaceConfigSchema, storeLocationOf } from "./config.js";
export { isValidNamespaceName } from "./domain/namespace-input.js";
export type { RunningService } from "./running-service.js";
export { NAMESPACE_SERVICE_NAME } from "./server.js";
export type { NamespaceServiceDeps, NatsConnection, RunningNamespaceService } from "./start.js";
export { startNamespaceService } from "./start.js";
