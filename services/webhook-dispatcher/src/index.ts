export type { RunningService } from "@strata/service-kit";
export type { StoreLocation, WebhookDispatcherConfig } from "./config.js";
export {
  dispatchSettingsOf,
  loadWebhookDispatcherConfig,
  storeLocationOf,
  webhookDispatcherConfigSchema,
} from "./config.js";
export { WEBHOOK_SERVICE_NAME } from "./server.js";
export type { NatsConnection, RunningWebhookDispatcher, WebhookDispatcherDeps } from "./start.js";
export { startWebhookDispatcher } from "./start.js";
