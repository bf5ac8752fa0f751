import {
  type Env,
  envDurationMs,
  envHostPort,
  envInt,
  envList,
  envLogLevel,
  envPort,
  envString,
  envUrl,
  type LogLevel,
  loadConfig,
} from "@strata/config";
import { z } from "zod";

/** The gateway's variables (parse with loadConfig, or build one in a test). */
export const gatewayConfigSchema = z.object({
  /** 0.0.0.0 in containers. */
  GATEWAY_HOST: envString({ default: "127.0.0.1" }),
  /** The gateway's own port variable; wins over STRATA_HTTP_PORT. 0 picks a free port. */
  GATEWAY_PORT: envPort().optional(),
  /** The platform-wide HTTP port (the embedded launcher sets it). */
  STRATA_HTTP_PORT: envPort(8080),
  AUTH_GRPC_URL: envHostPort(),
  NAMESPACE_GRPC_URL: envHostPort(),
  /** The acl-query service (retrievers, alerts). */
  ACL_QUERY_GRPC_URL: envHostPort(),
  /** The webhook dispatcher (webhooks, their deliveries). */
  WEBHOOK_GRPC_URL: envHostPort(),
  /** tier-migrator (tiering policies, sweeps, tier costs). */
  TIER_MIGRATOR_GRPC_URL: envHostPort(),
  /** The manifest service (export, diff, apply). */
  MANIFEST_GRPC_URL: envHostPort(),
  NATS_URL: envString({ default: "nats://127.0.0.1:4222" }),
  STRATA_INTERNAL_TOKEN: envString({ minLength: 32 }),
  GATEWAY_BODY_LIMIT_BYTES: envInt(1024 * 1024, { min: 1024, max: 1024 * 1024 * 1024 }),
  /** The batch route's own limit: 10,000 small documents do not fit in the general one. */
  GATEWAY_BATCH_BODY_LIMIT_BYTES: envInt(32 * 1024 * 1024, { min: 1024, max: 1024 * 1024 * 1024 }),
  /** Requests per API key per window. */
  GATEWAY_RATE_LIMIT_MAX: envInt(6000, { min: 1, max: 100_000_000 }),
  GATEWAY_RATE_LIMIT_WINDOW: envDurationMs(60_000),
  /** Failed authentications per client address per window before it gets 429; 0 turns it off. */
  GATEWAY_AUTH_FAILURE_LIMIT: envInt(100, { min: 0, max: 100_000_000 }),
  GATEWAY_AUTH_FAILURE_WINDOW: envDurationMs(60_000),
  /**
   * Proxies whose X-Forwarded-For names the client (comma list of addresses or CIDRs). Behind a load
   * balancer, without it every client has the balancer's address and shares one failure budget.
   */
  GATEWAY_TRUSTED_PROXIES: envList([]),
  GATEWAY_AUTH_CACHE_TTL: envDurationMs(30_000),
  GATEWAY_NAMESPACE_CACHE_TTL: envDurationMs(30_000),
  /** How long one gRPC call may take before the request answers 503. */
  GATEWAY_GRPC_DEADLINE: envDurationMs(10_000),
  /**
   * How long a request with an Idempotency-Key counts as still running: a retry meanwhile gets 409,
   * a retry after it takes over (the first attempt died with its process; ADR 0016).
   */
  GATEWAY_IDEMPOTENCY_LEASE: envDurationMs(60_000),
  /**
   * TESTS ONLY (0, the default, turns it off): holds every Idempotency-Key answer this long after
   * its operation completed, so a crash test can kill the platform between commit and answer.
   */
  GATEWAY_TEST_ONLY_IDEMPOTENT_ANSWER_DELAY: envDurationMs(0),
  LOG_LEVEL: envLogLevel("info"),
  OTEL_EXPORTER_OTLP_ENDPOINT: envUrl({ protocols: ["http", "https"] }).optional(),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

/** The only place the gateway reads process.env. Throws a ConfigError listing every problem. */
export function loadGatewayConfig(env: Env = process.env): GatewayConfig {
  return loadConfig(gatewayConfigSchema, env);
}

/** The configuration as the gateway's parts use it. */
export interface GatewaySettings {
  readonly host: string;
  readonly port: number;
  readonly authGrpcAddress: string;
  readonly namespaceGrpcAddress: string;
  readonly aclQueryGrpcAddress: string;
  readonly webhookGrpcAddress: string;
  readonly tierMigratorGrpcAddress: string;
  readonly manifestGrpcAddress: string;
  readonly internalToken: string;
  readonly bodyLimitBytes: number;
  readonly batchBodyLimitBytes: number;
  readonly rateLimit: { readonly max: number; readonly windowMs: number };
  readonly failedAuthLimit: { readonly max: number; readonly windowMs: number };
  readonly trustedProxies: readonly string[];
  readonly authCacheTtlMs: number;
  readonly namespaceCacheTtlMs: number;
  readonly grpcDeadlineMs: number;
  readonly idempotencyLeaseMs: number;
  readonly testOnlyIdempotentAnswerDelayMs: number;
  readonly logLevel: LogLevel;
}

export function settingsOf(config: GatewayConfig): GatewaySettings {
  return {
    host: config.GATEWAY_HOST,
    port: config.GATEWAY_PORT ?? config.STRATA_HTTP_PORT,
    authGrpcAddress: config.AUTH_GRPC_URL,
    namespaceGrpcAddress: config.NAMESPACE_GRPC_URL,
    aclQueryGrpcAddress: config.ACL_QUERY_GRPC_URL,
    webhookGrpcAddress: config.WEBHOOK_GRPC_URL,
    tierMigratorGrpcAddress: config.TIER_MIGRATOR_GRPC_URL,
    manifestGrpcAddress: config.MANIFEST_GRPC_URL,
    internalToken: config.STRATA_INTERNAL_TOKEN,
    bodyLimitBytes: config.GATEWAY_BODY_LIMIT_BYTES,
    batchBodyLimitBytes: config.GATEWAY_BATCH_BODY_LIMIT_BYTES,
    rateLimit: { max: config.GATEWAY_RATE_LIMIT_MAX, windowMs: config.GATEWAY_RATE_LIMIT_WINDOW },
    failedAuthLimit: { max: config.GATEWAY_AUTH_FAILURE_LIMIT, windowMs: config.GATEWAY_AUTH_FAILURE_WINDOW },
    trustedProxies: config.GATEWAY_TRUSTED_PROXIES,
    authCacheTtlMs: config.GATEWAY_AUTH_CACHE_TTL,
    namespaceCacheTtlMs: config.GATEWAY_NAMESPACE_CACHE_TTL,
    grpcDeadlineMs: config.GATEWAY_GRPC_DEADLINE,
    idempotencyLeaseMs: config.GATEWAY_IDEMPOTENCY_LEASE,
    testOnlyIdempotentAnswerDelayMs: config.GATEWAY_TEST_ONLY_IDEMPOTENT_ANSWER_DELAY,
    logLevel: config.LOG_LEVEL,
  };
}
