// What the platform launcher and other services' tests start this service with; nothing else.
export type { NamespaceConfig } from "./config.js";
export { loadNamespaceConfig, namespaceConfigSchema } from "./config.js";
export type { NamespaceServiceDeps, RunningNamespaceService } from "./start.js";
export { startNamespaceService } from "./start.js";
