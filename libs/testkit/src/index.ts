export type { ChildService } from "./child-service.js";
export { launchChildService } from "./child-service.js";
export { freePort } from "./free-port.js";
export type { NatsServerHandle, NatsServerOptions } from "./nats-server.js";
export { startNatsServer } from "./nats-server.js";
export type { TempDir } from "./temp-dir.js";
export { tempDir } from "./temp-dir.js";
