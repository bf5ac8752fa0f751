import {
  type Env,
  envDurationMs,
  envHostPort,
  envInt,
  envList,
  envPort,
  envString,
  loadConfig,
} from "@strata/config";
import {
  commonServiceFields,
  resolveStoreLocation,
  type StoreLocation,
  storeUrlField,
} from "@strata/service-kit";
import { z } from "zod";
import type { DispatchSettings } from "./domain/ports.js";

export type { StoreLocation };

/** Immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (Svix's schedule). */
const DEFAULT_RETRY_SCHEDULE = ["5s", "5m", "30m", "2h", "5h", "10h", "10h"];
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** The webhook dispatcher's variables (parse with loadConfig, or build one in a test). */
export const webhookDispatcherConfigSchema = z.object({
  WEBHOOK_GRPC_HOST: envString({ default: "127.0.0.1" }),
  /** 0 picks a free port (the embedded launcher does). */
  WEBHOOK_GRPC_PORT: envPort(50054),
  /** Default `sqlite:<STRATA_DATA_DIR>/webhooks.db`. */
  WEBHOOK_STORE_URL: storeUrlField(),
  WEBHOOK_MONGO_DATABASE: envString({ default: "strata_webhooks" }),
  /** base64 of 32 bytes sealing the signing secrets; default a key file in the data directory. */
  WEBHOOK_SECRET_KEY: envString().optional(),
  /** Comma-separated CIDR ranges webhooks may reach although they are blocked by default. */
  STRATA_WEBHOOK_ALLOWED_CIDRS: envList(),
  /** The retry delays after the first attempt, e.g. "5s,5m,30m". */
  WEBHOOK_RETRY_SCHEDULE: envList(DEFAULT_RETRY_SCHEDULE),
  /** ±percent of jitter on each retry delay. */
  WEBHOOK_RETRY_JITTER_PERCENT: envInt(20, { min: 0, max: 100 }),
  WEBHOOK_TIMEOUT: envDurationMs(15_000),
  WEBHOOK_DISABLE_AFTER: envDurationMs(5 * 24 * 3_600_000),
  WEBHOOK_ROTATION_OVERLAP: envDurationMs(24 * 3_600_000),
  /** Finished deliveries (payload and attempt log) are kept this long. */
  WEBHOOK_RETENTION: envDurationMs(30 * 24 * 3_600_000),
  WEBHOOK_RETENTION_PURGE_INTERVAL: envDurationMs(3_600_000),
  /** How long a claimed attempt may wait on the work queue before another replica may take it. */
  WEBHOOK_CLAIM: envDurationMs(60_000),
  /** How often each replica looks for retries that came due. */
  WEBHOOK_SCHEDULER_INTERVAL: envDurationMs(1_000),
  /**
   * How long JetStream waits before it hands a crashed replica's unacked event or attempt to
   * another (the engine heartbeats messages in hand, so slow work needs no room here).
   */
  WEBHOOK_ACK_WAIT: envDurationMs(30_000),
  /** Attempts in flight per replica; more is slower here (one SQLite writer, 2 cores). */
  WEBHOOK_WORKER_CONCURRENCY: envInt(16, { min: 1, max: 1024 }),
  /** 32, not 16: one busy endpoint's first attempts were half as fast at 16 (ADR 0034). */
  WEBHOOK_ENDPOINT_CONCURRENCY: envInt(32, { min: 1, max: 1024 }),
  /**
   * First attempts a replica sends straight from its fan-out at once (ADR 0034); the fan-out takes
   * no more events while they fill it. Twice the endpoint concurrency: one endpoint's running
   * attempts and its line.
   */
  WEBHOOK_SEND_WINDOW: envInt(64, { min: 1, max: 1024 }),
  /** The namespace service: asked whether a namespace is really gone before its webhooks go. */
  NAMESPACE_GRPC_URL: envHostPort(),
  ...commonServiceFields,
});

export type WebhookDispatcherConfig = z.infer<typeof webhookDispatcherConfigSchema>;

export function storeLocationOf(config: WebhookDispatcherConfig): StoreLocation {
  return resolveStoreLocation({
    url: config.WEBHOOK_STORE_URL,
    variable: "WEBHOOK_STORE_URL",
    dataDir: config.STRATA_DATA_DIR,
    sqliteFile: "webhooks.db",
    mongoDatabase: config.WEBHOOK_MONGO_DATABASE,
  });
}

/** The domain's timings from the configuration. Throws on a schedule entry that is no duration. */
export function dispatchSettingsOf(config: WebhookDispatcherConfig): DispatchSettings {
  return {
    retryScheduleMs: config.WEBHOOK_RETRY_SCHEDULE.map((entry) => {
      const match = DURATION.exec(entry);
      if (match?.[1] === undefined || match[2] === undefined)
        throw new Error(`WEBHOOK_RETRY_SCHEDULE: '${entry}' is not a duration like 500ms, 5s, 5m, 2h`);
      return Math.round(Number(match[1]) * (UNIT_MS[match[2]] ?? 1));
    }),
    jitter: config.WEBHOOK_RETRY_JITTER_PERCENT / 100,
    requestTimeoutMs: config.WEBHOOK_TIMEOUT,
    claimMs: config.WEBHOOK_CLAIM,
    disableAfterMs: config.WEBHOOK_DISABLE_AFTER,
    rotationOverlapMs: config.WEBHOOK_ROTATION_OVERLAP,
    perEndpointConcurrency: config.WEBHOOK_ENDPOINT_CONCURRENCY,
  };
}

/** The only place the dispatcher reads process.env. Throws a ConfigError listing every problem. */
export function loadWebhookDispatcherConfig(env: Env = process.env): WebhookDispatcherConfig {
  return loadConfig(webhookDispatcherConfigSchema, env);
}
