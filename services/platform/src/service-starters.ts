import type { connectNats } from "@strata/bus";
import { ConfigError, type Env } from "@strata/config";
import type { LocalServices } from "@strata/grpc";
import type { Logger } from "@strata/logger";
import type { ServiceMetrics } from "@strata/metrics";
import type { z } from "zod";
import type { PlatformConfig, RemoteService, ServiceName } from "./config.js";

export type NatsConnection = Awaited<ReturnType<typeof connectNats>>;

/** What every service package's start function returns (the shape shared by all services). */
export interface RunningService {
  readonly name: string;
  readonly grpcAddress?: string;
  readonly httpUrl?: string;
  /** auth only: set when this start created the first organization (the key is in `file`). */
  readonly bootstrap?: { readonly organizationId: string; readonly file: string } | undefined;
  ready(): Promise<boolean>;
  /** Each dependency's state by name (nats, store, a backing service); for /readyz. */
  readiness?(): Promise<Record<string, boolean>>;
  stop(): Promise<void>;
}

export interface StartContext {
  readonly config: PlatformConfig;
  /** The URL services connect to: NATS_URL, or the embedded child's. */
  readonly natsUrl: string;
  readonly logger: Logger;
  readonly nc: NatsConnection;
  /** The services already started in this process (their bound gRPC addresses). */
  readonly started: ReadonlyMap<ServiceName, RunningService>;
  /** The platform's registry of its gRPC servers (ADR 0010); undefined when STRATA_LOCAL_CALLS=false. */
  readonly localCalls: LocalServices | undefined;
  /** This service's share of the process's metrics (served on STRATA_METRICS_PORT). */
  readonly metrics: ServiceMetrics;
  /** The platform's caller's hook for the namespace service's clones (StartPlatformOptions). */
  readonly beforeCloneCommit: (() => Promise<void>) | undefined;
}

/**
 * Parses a service's env schema the way loadConfig does (blank = unset, every problem listed in a
 * ConfigError), for any zod schema: the gateway's maps its variables to a typed object, which
 * loadConfig (ZodObject only) does not accept.
 */
export function parseServiceConfig<S extends z.ZodType>(service: string, schema: S, env: Env): z.output<S> {
  const normalized: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== "") normalized[name] = value;
  }
  const parsed = schema.safeParse(normalized);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => ({
      variable: `${service}: ${issue.path.map(String).join(".") || "(root)"}`,
      message: issue.message,
    })),
  );
}

/**
 * The variables every service shares, overriding what the environment says where the launcher
 * decides: the NATS it started, the token it generated, the absolute data dir.
 */
function sharedEnv(ctx: StartContext): Env {
  const { config } = ctx;
  return {
    ...config.env,
    NATS_URL: ctx.natsUrl,
    STRATA_INTERNAL_TOKEN: config.internalToken,
    STRATA_DATA_DIR: config.dataDir,
    LOG_LEVEL: config.logLevel,
  };
}

/**
 * Where a gRPC service binds. Embedded: loopback only (nothing outside this machine may reach the
 * services behind the gateway) on a random port unless one is set. Distributed: the service's own
 * variables and defaults (the image sets 0.0.0.0; ports 50051 to 50056).
 */
function grpcBinding(
  ctx: StartContext,
  prefix: "AUTH" | "NAMESPACE" | "ACL_QUERY" | "WEBHOOK" | "TIER_MIGRATOR" | "MANIFEST",
): Env {
  if (ctx.config.nats.mode !== "embedded") return {};
  return {
    [`${prefix}_GRPC_HOST`]: "127.0.0.1",
    [`${prefix}_GRPC_PORT`]: ctx.config.env[`${prefix}_GRPC_PORT`] ?? "0",
  };
}

/** The address of a dependency: the in-process instance's bound address, else the configured one. */
function addressOf(ctx: StartContext, service: RemoteService): string | undefined {
  return ctx.started.get(service)?.grpcAddress ?? ctx.config.remoteAddresses[service];
}

type Starter = (ctx: StartContext) => Promise<RunningService>;

// Each service's package is imported when it starts, not before: a container loads only the
// service it runs (not, say, the namespace service's native vector index in the gateway's).
const STARTERS: Record<ServiceName, Starter> = {
  auth: async (ctx) => {
    const { authConfigSchema, startAuthService } = await import("@strata/auth");
    return startAuthService({
      config: parseServiceConfig("auth", authConfigSchema, {
        ...sharedEnv(ctx),
        ...grpcBinding(ctx, "AUTH"),
        AUTH_BOOTSTRAP_FILE: ctx.config.bootstrapFile,
        NAMESPACE_GRPC_URL: addressOf(ctx, "namespace"),
      }),
      logger: ctx.logger,
      nc: ctx.nc,
      localCalls: ctx.localCalls,
      metrics: ctx.metrics,
    });
  },
  namespace: async (ctx) => {
    const { namespaceConfigSchema, startNamespaceService } = await import("@strata/namespace");
    return startNamespaceService({
      config: parseServiceConfig("namespace", namespaceConfigSchema, {
        ...sharedEnv(ctx),
        ...grpcBinding(ctx, "NAMESPACE"),
      }),
      logger: ctx.logger,
      nc: ctx.nc,
      localCalls: ctx.localCalls,
      metrics: ctx.metrics,
      beforeCloneCommit: ctx.beforeCloneCommit,
    });
  },
  "acl-query": async (ctx) => {
    const { aclQueryConfigSchema, startAclQueryService } = await import("@strata/acl-query");
    return startAclQueryService({
      config: parseServiceConfig("acl-query", aclQueryConfigSchema, {
        ...sharedEnv(ctx),
        ...grpcBinding(ctx, "ACL_QUERY"),
        NAMESPACE_GRPC_URL: addressOf(ctx, "namespace"),
      }),
      logger: ctx.logger,
      nc: ctx.nc,
      localCalls: ctx.localCalls,
      metrics: ctx.metrics,
    });
  },
  "webhook-dispatcher": async (ctx) => {
    const { webhookDispatcherConfigSchema, startWebhookDispatcher } = await import(
      "@strata/webhook-dispatcher"
    );
    return startWebhookDispatcher({
      config: parseServiceConfig("webhook-dispatcher", webhookDispatcherConfigSchema, {
        ...sharedEnv(ctx),
        ...grpcBinding(ctx, "WEBHOOK"),
        NAMESPACE_GRPC_URL: addressOf(ctx, "namespace"),
      }),
      logger: ctx.logger,
      nc: ctx.nc,
      localCalls: ctx.localCalls,
      metrics: ctx.metrics,
    });
  },
  "tier-migrator": async (ctx) => {
    const { tierMigratorConfigSchema, startTierMigrator } = await import("@strata/tier-migrator");
    return startTierMigrator({
      config: parseServiceConfig("tier-migrator", tierMigratorConfigSchema, {
        ...sharedEnv(ctx),
        ...grpcBinding(ctx, "TIER_MIGRATOR"),
        NAMESPACE_GRPC_URL: addressOf(ctx, "namespace"),
      }),
      logger: ctx.logger,
      nc: ctx.nc,
      localCalls: ctx.localCalls,
      metrics: ctx.metrics,
    });
  },
  manifest: async (ctx) => {
    const { manifestConfigSchema, startManifest } = await import("@strata/manifest");
    return startManifest({
      config: parseServiceConfig("manifest", manifestConfigSchema, {
        ...sharedEnv(ctx),
        ...grpcBinding(ctx, "MANIFEST"),
        NAMESPACE_GRPC_URL: addressOf(ctx, "namespace"),
        ACL_QUERY_GRPC_URL: addressOf(ctx, "acl-query"),
        WEBHOOK_GRPC_URL: addressOf(ctx, "webhook-dispatcher"),
        TIER_MIGRATOR_GRPC_URL: addressOf(ctx, "tier-migrator"),
      }),
      logger: ctx.logger,
      nc: ctx.nc,
      localCalls: ctx.localCalls,
      metrics: ctx.metrics,
    });
  },
  gateway: async (ctx) => {
    const { gatewayConfigSchema, startGateway } = await import("@strata/gateway");
    return startGateway({
      config: parseServiceConfig("gateway", gatewayConfigSchema, {
        ...sharedEnv(ctx),
        STRATA_HTTP_PORT: String(ctx.config.httpPort),
        AUTH_GRPC_URL: addressOf(ctx, "auth"),
        NAMESPACE_GRPC_URL: addressOf(ctx, "namespace"),
        ACL_QUERY_GRPC_URL: addressOf(ctx, "acl-query"),
        WEBHOOK_GRPC_URL: addressOf(ctx, "webhook-dispatcher"),
        TIER_MIGRATOR_GRPC_URL: addressOf(ctx, "tier-migrator"),
        MANIFEST_GRPC_URL: addressOf(ctx, "manifest"),
      }),
      logger: ctx.logger,
      nc: ctx.nc,
      localCalls: ctx.localCalls,
      metricsRegistry: ctx.metrics.registry,
    });
  },
};

export function startService(name: ServiceName, ctx: StartContext): Promise<RunningService> {
  return STARTERS[name](ctx);
}
