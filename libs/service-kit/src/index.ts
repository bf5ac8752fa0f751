export { natsReachable } from "@strata/bus";
export type { ServiceMetrics } from "@strata/metrics";
export type { NatsConnection } from "nats";
export { commonServiceFields } from "./common-config.js";
export { type MemorySettler, type MemorySettlerOptions, startMemorySettler } from "./memory-settler.js";
export {
  type ClonedNamespace,
  handleNamespaceClone,
  type NamespaceCloneOptions,
  startNamespaceCloneConsumer,
} from "./namespace-clone-consumer.js";
export { type NamespaceDurable, startNamespaceDurable } from "./namespace-durable.js";
export { connectNamespaceExistence, type NamespaceExistence } from "./namespace-existence.js";
export {
  handleNamespacePurge,
  type NamespacePurgeOptions,
  startNamespacePurgeConsumer,
} from "./namespace-purge-consumer.js";
export { openServiceStore, type ServiceStoreOptions } from "./open-service-store.js";
export { readEventStream } from "./read-event-stream.js";
export type { RunningService } from "./running-service.js";
export type {
  ServiceRuntime,
  ServiceRuntimeOptions,
  StoppableServer,
} from "./service-runtime.js";
export { startServiceRuntime } from "./service-runtime.js";
export {
  consumerObserverOf,
  runningGrpcService,
  type ServiceGrpcServerOptions,
  type ServiceStartDeps,
  startServiceGrpcServer,
} from "./service-start.js";
export type { StoreLocation, StoreSettings } from "./store-location.js";
export { parseStoreUrl, resolveStoreLocation, storeUrlField } from "./store-location.js";
