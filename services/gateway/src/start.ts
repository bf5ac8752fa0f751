import { ensureEventStream, natsReachable } from "@strata/bus";
import type { LocalServices } from "@strata/grpc";
import type { Logger } from "@strata/logger";
import type { NatsConnection } from "nats";
import type { Registry } from "prom-client";
import { buildGatewayApp } from "./app.js";
import { connectBackends } from "./backends/backends.js";
import { subscribeCacheInvalidation } from "./cache-invalidation.js";
import { type GatewayConfig, settingsOf } from "./config.js";
import { openNatsIdempotencyStore } from "./idempotency/idempotency-store.js";

/** The shape every service's start function returns (see services/platform). */
export interface RunningService {
  readonly name: string;
  readonly grpcAddress?: string;
  readonly httpUrl?: string;
  ready(): Promise<boolean>;
  readiness?(): Promise<Record<string, boolean>>;
  stop(): Promise<void>;
}

const READY_CHECK_TIMEOUT_MS = 1_000;

export async function startGateway(deps: {
  config: GatewayConfig;
  logger: Logger;
  nc: NatsConnection;
  /** The launcher's registry of this process's servers (ADR 0010); none: every call over gRPC. */
  localCalls?: LocalServices;
  /** The process's metrics registry (the launcher's); none: the gateway keeps its own. */
  metricsRegistry?: Registry;
}): Promise<RunningService & { httpUrl: string }> {
  const { config, nc } = deps;
  const settings = settingsOf(config);
  const { logger } = deps;
  await ensureEventStream(nc);
  const idempotencyStore = await openNatsIdempotencyStore(nc);
  const backends = connectBackends({ ...settings, localCalls: deps.localCalls });
  const readiness = async () => {
    const [natsUp, services] = await Promise.all([
      natsReachable(nc, READY_CHECK_TIMEOUT_MS),
      backends.health(READY_CHECK_TIMEOUT_MS),
    ]);
    // Each dependency by name, so a 503 says which one is not ready.
    const checks: Record<string, boolean> = { nats: natsUp, ...services };
    return { ready: Object.values(checks).every(Boolean), checks };
  };
  const gateway = await buildGatewayApp({
    config,
    logger,
    backends,
    idempotencyStore,
    ready: readiness,
    ...(deps.metricsRegistry === undefined ? {} : { metricsRegistry: deps.metricsRegistry }),
  });
  const invalidation = await subscribeCacheInvalidation({
    nc,
    logger,
    verifier: gateway.verifier,
    namespaces: gateway.namespaces,
  });
  let address: string;
  try {
    address = await gateway.app.listen({ host: settings.host, port: settings.port });
  } catch (error: unknown) {
    await invalidation.stop();
    backends.close();
    throw error;
  }
  logger.info({ address }, "gateway listening");
  if (settings.testOnlyIdempotentAnswerDelayMs > 0) {
    logger.warn(
      { delay_ms: settings.testOnlyIdempotentAnswerDelayMs },
      "GATEWAY_TEST_ONLY_IDEMPOTENT_ANSWER_DELAY is set: idempotent answers are held back (tests only)",
    );
  }

  let stopped: Promise<void> | undefined;
  return {
    name: "gateway",
    httpUrl: address,
    ready: async () => (await readiness()).ready,
    readiness: async () => (await readiness()).checks,
    stop() {
      stopped ??= (async () => {
        // New requests get 503 at once; app.close() waits for those in flight, then the channels go.
        gateway.beginShutdown();
        await gateway.app.close();
        await invalidation.stop();
        backends.close();
        logger.info({ address }, "gateway stopped");
      })();
      return stopped;
    },
  };
}
