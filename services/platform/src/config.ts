import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import {
  type Env,
  envBool,
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

export type { Env } from "@strata/config";

/** A NATS user and its password. */
export interface NatsCredentials {
  readonly user: string;
  readonly password: string;
}

/** Every service the launcher can run, in the order it starts them (dependencies first). */
// In start order: a service starts after those it calls (auth asks namespace, acl-query reads it,
// the webhook dispatcher asks namespace whether a deleted namespace is gone, tier-migrator drives
// namespace's TierService, the manifest service reads and writes the resources of namespace,
// acl-query and the webhook dispatcher, the gateway calls them all).
export const SERVICE_NAMES = [
  "namespace",
  "auth",
  "acl-query",
  "webhook-dispatcher",
  "tier-migrator",
  "manifest",
  "gateway",
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** The gRPC services other services call, and the variable naming one that runs elsewhere. */
export type RemoteService =
  | "auth"
  | "namespace"
  | "acl-query"
  | "webhook-dispatcher"
  | "tier-migrator"
  | "manifest";
type RemoteAddressKey =
  | "AUTH_GRPC_URL"
  | "NAMESPACE_GRPC_URL"
  | "ACL_QUERY_GRPC_URL"
  | "WEBHOOK_GRPC_URL"
  | "TIER_MIGRATOR_GRPC_URL"
  | "MANIFEST_GRPC_URL";

const serviceList = envList([...SERVICE_NAMES]).transform((names, ctx) => {
  const unknown = names.filter((n) => !(SERVICE_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0 || names.length === 0) {
    ctx.addIssue({
      code: "custom",
      message: `must be a comma list of ${SERVICE_NAMES.join(", ")}; unknown: ${unknown.join(", ") || "(empty)"}`,
    });
    return z.NEVER;
  }
  return SERVICE_NAMES.filter((n) => names.includes(n));
});

export const platformConfigSchema = z
  .object({
    STRATA_SERVICES: serviceList,
    STRATA_DATA_DIR: envString({ default: ".strata" }),
    STRATA_HTTP_PORT: envPort(8080),
    /** The operator's port: /metrics and /readyz, never on the public API port. 0 picks a free one. */
    STRATA_METRICS_PORT: envPort(9464),
    /** Default: 127.0.0.1 embedded (this machine only), 0.0.0.0 distributed (Prometheus scrapes each container). */
    STRATA_METRICS_HOST: envString().optional(),
    NATS_URL: envString().optional(),
    /** Distributed mode: this process's NATS user and password (embedded: generated per data dir). */
    NATS_USER: envString().optional(),
    NATS_PASSWORD: envString().optional(),
    /** JetStream replicas of STRATA_EVENTS; 3 on a 3-node cluster. */
    NATS_STREAM_REPLICAS: envInt(1, { min: 1, max: 5 }),
    STRATA_INTERNAL_TOKEN: envString({ minLength: 32 }).optional(),
    AUTH_GRPC_URL: envString().optional(),
    NAMESPACE_GRPC_URL: envString().optional(),
    ACL_QUERY_GRPC_URL: envString().optional(),
    WEBHOOK_GRPC_URL: envString().optional(),
    TIER_MIGRATOR_GRPC_URL: envString().optional(),
    MANIFEST_GRPC_URL: envString().optional(),
    /** Where the auth service writes the first admin key; relative to the data dir; default `bootstrap.json`. */
    AUTH_BOOTSTRAP_FILE: envString().optional(),
    LOG_LEVEL: envLogLevel("info"),
    STRATA_LOCAL_CALLS: envBool(true),
    OTEL_EXPORTER_OTLP_ENDPOINT: envUrl({ protocols: ["http", "https"] }).optional(),
  })
  .superRefine((c, ctx) => {
    if ((c.NATS_USER === undefined) !== (c.NATS_PASSWORD === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: [c.NATS_USER === undefined ? "NATS_USER" : "NATS_PASSWORD"],
        message: "NATS_USER and NATS_PASSWORD go together: set both (the service's NATS user) or neither",
      });
    }
    // Distributed: services in other processes must agree on the token, so it cannot be invented.
    if (c.NATS_URL !== undefined && c.STRATA_INTERNAL_TOKEN === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["STRATA_INTERNAL_TOKEN"],
        message:
          "is required when NATS_URL is set (distributed mode): the same 32+ character secret in every service",
      });
    }
    // Who calls whom: a caller running here needs the address of a callee that does not.
    const calls: Array<[ServiceName, ServiceName, RemoteAddressKey]> = [
      ["gateway", "auth", "AUTH_GRPC_URL"],
      ["gateway", "namespace", "NAMESPACE_GRPC_URL"],
      ["gateway", "acl-query", "ACL_QUERY_GRPC_URL"],
      ["gateway", "webhook-dispatcher", "WEBHOOK_GRPC_URL"],
      ["gateway", "tier-migrator", "TIER_MIGRATOR_GRPC_URL"],
      ["webhook-dispatcher", "namespace", "NAMESPACE_GRPC_URL"],
      ["tier-migrator", "namespace", "NAMESPACE_GRPC_URL"],
      ["gateway", "manifest", "MANIFEST_GRPC_URL"],
      ["webhook-dispatcher", "namespace", "NAMESPACE_GRPC_URL"],
      ["manifest", "namespace", "NAMESPACE_GRPC_URL"],
      ["manifest", "acl-query", "ACL_QUERY_GRPC_URL"],
      ["manifest", "webhook-dispatcher", "WEBHOOK_GRPC_URL"],
      ["manifest", "tier-migrator", "TIER_MIGRATOR_GRPC_URL"],
      ["acl-query", "namespace", "NAMESPACE_GRPC_URL"],
      ["auth", "namespace", "NAMESPACE_GRPC_URL"],
    ];
    const reported = new Set<string>();
    for (const [caller, service, key] of calls) {
      if (!c.STRATA_SERVICES.includes(caller) || c.STRATA_SERVICES.includes(service)) continue;
      if (c[key] !== undefined || reported.has(key)) continue;
      reported.add(key);
      ctx.addIssue({
        code: "custom",
        path: [key],
        message: `is required: ${caller} runs here but ${service} does not (STRATA_SERVICES); give its host:port`,
      });
    }
  });

export interface PlatformConfig {
  /** Selected services in start order. */
  readonly services: readonly ServiceName[];
  /** Absolute; everything the embedded mode keeps lives under it. */
  readonly dataDir: string;
  readonly httpPort: number;
  /** Where /metrics and /readyz are served for this process. */
  readonly metrics: { readonly host: string; readonly port: number };
  /** Embedded: the launcher runs nats-server itself. External: NATS_URL, a server or cluster. */
  readonly nats:
    | { readonly mode: "embedded" }
    | { readonly mode: "external"; readonly url: string; readonly credentials?: NatsCredentials };
  readonly streamReplicas: number;
  readonly internalToken: string;
  /** True when the token was generated for this process (embedded mode without one set). */
  readonly internalTokenGenerated: boolean;
  readonly remoteAddresses: Readonly<Partial<Record<RemoteService, string>>>;
  /** Where the auth service writes the first admin key (only on a start that creates it). */
  readonly bootstrapFile: string;
  readonly logLevel: LogLevel;
  /** Unary calls between services of this process skip HTTP/2 (local-calls.ts in @strata/grpc). */
  readonly localCalls: boolean;
  readonly otlpEndpoint: string | undefined;
  /** The raw environment, handed to each service's own config schema so its defaults apply. */
  readonly env: Env;
}

/**
 * Reads the launcher's variables. Throws (via loadConfig) with every problem listed when the
 * environment is invalid: a wrong config is a startup bug, not an expected failure.
 */
export function loadPlatformConfig(env: Env = process.env, cwd: string = process.cwd()): PlatformConfig {
  const c = loadConfig(platformConfigSchema, env);
  const generated = c.STRATA_INTERNAL_TOKEN === undefined;
  const dataDir = resolve(cwd, c.STRATA_DATA_DIR);
  return {
    services: c.STRATA_SERVICES,
    dataDir,
    httpPort: c.STRATA_HTTP_PORT,
    metrics: {
      host: c.STRATA_METRICS_HOST ?? (c.NATS_URL === undefined ? "127.0.0.1" : "0.0.0.0"),
      port: c.STRATA_METRICS_PORT,
    },
    nats:
      c.NATS_URL === undefined
        ? { mode: "embedded" }
        : {
            mode: "external",
            url: c.NATS_URL,
            ...(c.NATS_USER === undefined || c.NATS_PASSWORD === undefined
              ? {}
              : { credentials: { user: c.NATS_USER, password: c.NATS_PASSWORD } }),
          },
    streamReplicas: c.NATS_STREAM_REPLICAS,
    // Embedded: every service is in this process, so a per-process random secret is enough.
    internalToken: c.STRATA_INTERNAL_TOKEN ?? randomBytes(32).toString("base64url"),
    internalTokenGenerated: generated,
    remoteAddresses: {
      ...(c.AUTH_GRPC_URL === undefined ? {} : { auth: c.AUTH_GRPC_URL }),
      ...(c.NAMESPACE_GRPC_URL === undefined ? {} : { namespace: c.NAMESPACE_GRPC_URL }),
      ...(c.ACL_QUERY_GRPC_URL === undefined ? {} : { "acl-query": c.ACL_QUERY_GRPC_URL }),
      ...(c.WEBHOOK_GRPC_URL === undefined ? {} : { "webhook-dispatcher": c.WEBHOOK_GRPC_URL }),
      ...(c.TIER_MIGRATOR_GRPC_URL === undefined ? {} : { "tier-migrator": c.TIER_MIGRATOR_GRPC_URL }),
      ...(c.MANIFEST_GRPC_URL === undefined ? {} : { manifest: c.MANIFEST_GRPC_URL }),
    },
    bootstrapFile: resolve(dataDir, c.AUTH_BOOTSTRAP_FILE ?? "bootstrap.json"),
    localCalls: c.STRATA_LOCAL_CALLS,
    logLevel: c.LOG_LEVEL,
    otlpEndpoint: c.OTEL_EXPORTER_OTLP_ENDPOINT,
    env,
  };
}
