import { join } from "node:path";
import type { Logger } from "@strata/logger";
import type { NatsCredentials, PlatformConfig, ServiceName } from "./config.js";
import { type NatsChild, startNatsChild } from "./nats-child.js";
import { loadOrCreateNatsCredentials, writeNatsConfig } from "./nats-credentials.js";

/** The NATS the services of this process connect to, and as whom. */
export interface NatsAccess {
  readonly url: string;
  /** The embedded mode's nats-server child; undefined with NATS_URL. */
  readonly child: NatsChild | undefined;
  credentialsOf(service: ServiceName): NatsCredentials | undefined;
}

/**
 * Embedded: starts the private nats-server requiring a user per service (credentials generated
 * once per data dir), so nothing else on the machine can connect, let alone publish an event.
 * Distributed: NATS_URL, with NATS_USER/NATS_PASSWORD when set.
 */
export async function openNats(config: PlatformConfig, logger: Logger): Promise<NatsAccess> {
  if (config.nats.mode === "external") {
    const { url, credentials } = config.nats;
    if (credentials === undefined) {
      logger.warn("NATS_USER/NATS_PASSWORD are not set: connecting to NATS without credentials");
    }
    return { url, child: undefined, credentialsOf: () => credentials };
  }
  const credentials = await loadOrCreateNatsCredentials(config.dataDir);
  const child = await startNatsChild({
    storeDir: join(config.dataDir, "nats"),
    configFile: await writeNatsConfig(config.dataDir, credentials),
    onLog: (line) => logger.debug({ nats: line }, "nats-server"),
  });
  logger.info({ url: child.url, pid: child.pid }, "embedded nats-server started (a user per service)");
  return { url: child.url, child, credentialsOf: (service) => credentials[service] };
}
