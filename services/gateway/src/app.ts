import type { Context } from "@opentelemetry/api";
import type { Caller } from "@strata/access";
import { type AppError, badRequest, ok, type Result, unavailable } from "@strata/errors";
import { newId } from "@strata/ids";
import type { Logger } from "@strata/logger";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import { validatorCompiler } from "fastify-type-provider-zod";
import type { Registry } from "prom-client";
import { ApiKeyVerifier } from "./auth/api-key-verifier.js";
import { callerFromKey } from "./auth/caller-from-key.js";
import type { Backends } from "./backends/backends.js";
import { type GatewayConfig, settingsOf } from "./config.js";
import { installAuthentication } from "./http/authenticate.js";
import { appErrorOf, clientErrorHandler, installErrorHandling, sendAppError } from "./http/errors.js";
import { FailedAuthLimiter } from "./http/failed-auth-limiter.js";
import { createGatewayMetrics, installRequestMetrics } from "./http/metrics.js";
import { registerDocsPage, registerOpenApi } from "./http/openapi.js";
import { createRateLimitCheck } from "./http/rate-limit.js";
import { responseSerializerCompiler } from "./http/response-serializer.js";
import { installRouteErrorRules } from "./http/route-errors.js";
import { installSpanNaming, tracingServerFactory } from "./http/tracing.js";
import { IdempotencyGuard } from "./idempotency/idempotency-guard.js";
import type { IdempotencyStore } from "./idempotency/idempotency-store.js";
import { type Namespace, NamespaceResolver } from "./namespaces/namespace-resolver.js";
import { registerAclRuleRoutes } from "./routes/acl-rules.js";
import { registerAlertRoutes } from "./routes/alerts.js";
import { registerApiKeyRoutes } from "./routes/api-keys.js";
import { registerBatchRoutes } from "./routes/batches.js";
import { registerBucketObjectRoutes } from "./routes/bucket-objects.js";
import { registerBucketRoutes } from "./routes/buckets.js";
import { registerCollectionRoutes } from "./routes/collections.js";
import { registerDocumentAclRoutes } from "./routes/document-acl.js";
import { registerDocumentListRoutes } from "./routes/document-lists.js";
import { registerDocumentTierRoutes } from "./routes/document-tier.js";
import { registerDocumentRoutes } from "./routes/documents.js";
import { registerManifestRoutes } from "./routes/manifests.js";
import { registerNamespaceCloneRoutes } from "./routes/namespace-clones.js";
import { registerNamespaceRoutes } from "./routes/namespaces.js";
import { registerOpsRoutes } from "./routes/ops.js";
import { registerPrincipalRoutes } from "./routes/principals.js";
import { registerRetrieverRoutes } from "./routes/retrievers.js";
import type { RouteDeps } from "./routes/route-deps.js";
import { registerTaxonomyRoutes } from "./routes/taxonomies.js";
import { registerTieringRoutes } from "./routes/tiering.js";
import { registerWebhookResendRoutes } from "./routes/webhook-resend.js";
import { registerWebhookRoutes } from "./routes/webhooks.js";
import { registerWhoamiRoute } from "./routes/whoami.js";

export const GATEWAY_VERSION = "0.1.0";

export interface GatewayAppDeps {
  readonly config: GatewayConfig;
  readonly logger: Logger;
  readonly backends: Backends;
  readonly idempotencyStore: IdempotencyStore;
  /** Readiness of what lies outside the gateway (NATS, the services). */
  readonly ready: () => Promise<{ ready: boolean; checks: Record<string, boolean> }>;
  /** Where the HTTP metrics go: the process's registry, served on the metrics port (not here). */
  readonly metricsRegistry?: Registry;
}

export interface GatewayApp {
  readonly app: FastifyInstance;
  readonly verifier: ApiKeyVerifier;
  readonly namespaces: NamespaceResolver;
  /** Holds the gateway's HTTP and auth-cache metrics. */
  readonly metricsRegistry: Registry;
  /** From now on new requests get 503 while those in flight finish (graceful stop). */
  beginShutdown(): void;
}

/**
 * The gateway's HTTP application, not yet listening. Hook order on every request: request id and
 * shutdown check, then (non-public routes) authentication → rate limit → permission, then body
 * parsing and validation, then the route, which makes its one gRPC call.
 */
export async function buildGatewayApp(deps: GatewayAppDeps): Promise<GatewayApp> {
  const { logger, backends } = deps;
  const config = settingsOf(deps.config);
  const metrics = createGatewayMetrics(deps.metricsRegistry);
  const verifier = new ApiKeyVerifier({
    ttlMs: config.authCacheTtlMs,
    onLookup: metrics.countAuthLookup,
    remote: async (secret) => {
      const answer = await backends.auth.verifyKey({ secret }, {});
      if (!answer.ok) return answer;
      if (!answer.value.valid || answer.value.key === undefined) return ok(null);
      const caller = callerFromKey(answer.value.key);
      return ok(caller === undefined ? null : { caller, ...expiry(answer.value.key.expiresAt) });
    },
  });
  const namespaces = new NamespaceResolver({
    ttlMs: config.namespaceCacheTtlMs,
    fetch: (caller, identifier, trace) => fetchNamespace(backends, caller, identifier, trace),
  });

  const app = Fastify({
    loggerInstance: logger.child({ component: "gateway-http" }) as FastifyBaseLogger,
    // Request logs would double what metrics and traces say; failures are logged by the error hook.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: "request_id" }),
    genReqId: () => newId("request"),
    requestIdHeader: false,
    bodyLimit: config.bodyLimitBytes,
    // request.ip is the client's only through the proxies named here (per-address failure limits).
    ...(config.trustedProxies.length > 0 ? { trustProxy: [...config.trustedProxies] } : {}),
    return503OnClosing: false,
    serverFactory: tracingServerFactory,
    clientErrorHandler,
    // Fastify's own answers to unparseable URLs get the common error shape too.
    frameworkErrors: (error, request, reply) => {
      sendAppError(
        request,
        reply,
        appErrorOf(error, config.bodyLimitBytes) ?? badRequest("The request is malformed"),
      );
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializerCompiler);
  // JSON only: a text/plain (or any other) body is a 400, not a string that fails validation.
  app.removeContentTypeParser(["text/plain"]);

  let closing = false;
  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
    if (closing) {
      reply.header("connection", "close");
      return sendAppError(request, reply, unavailable("The gateway is shutting down"));
    }
    return undefined;
  });
  // Answers finished during shutdown close their connection, so keep-alive clients do not hold the
  // server open until their idle timeout.
  app.addHook("onSend", async (_request, reply, payload) => {
    if (closing) reply.header("connection", "close");
    return payload;
  });
  installErrorHandling(app, { logger, bodyLimitBytes: config.bodyLimitBytes });
  // Before the OpenAPI plugin, whose own onRoute hook must see the trimmed error answers.
  installRouteErrorRules(app);
  installRequestMetrics(app, metrics);
  installSpanNaming(app);
  const rateLimit = await createRateLimitCheck(app, config.rateLimit);
  const failedAuth = new FailedAuthLimiter(config.failedAuthLimit);
  installAuthentication(app, {
    verifier,
    rateLimit,
    failedAuth,
    resolvePrincipal: async (organizationId, principalId) => {
      const answer = await backends.auth.resolvePrincipal({ organizationId, principalId }, {});
      if (!answer.ok) return answer;
      const principal = answer.value.principal;
      if (!answer.value.found || principal === undefined) return ok(undefined);
      return ok({
        principalId: principal.principalId,
        roles: principal.roles,
        attributes: principal.attributes ?? {},
      });
    },
  });

  await registerOpenApi(app, { version: GATEWAY_VERSION });
  const routeDeps: RouteDeps = {
    backends,
    verifier,
    namespaces,
    idempotency: {
      guard: new IdempotencyGuard({
        store: deps.idempotencyStore,
        pendingLeaseMs: config.idempotencyLeaseMs,
      }),
      logger,
      testOnlyAnswerDelayMs: config.testOnlyIdempotentAnswerDelayMs,
    },
  };
  registerOpsRoutes(app, { version: GATEWAY_VERSION, ready: deps.ready });
  registerWhoamiRoute(app, routeDeps);
  registerApiKeyRoutes(app, routeDeps);
  registerNamespaceRoutes(app, routeDeps);
  registerNamespaceCloneRoutes(app, routeDeps);
  registerCollectionRoutes(app, routeDeps);
  registerDocumentRoutes(app, routeDeps);
  registerDocumentListRoutes(app, routeDeps);
  registerDocumentAclRoutes(app, routeDeps);
  registerDocumentTierRoutes(app, routeDeps);
  registerPrincipalRoutes(app, routeDeps);
  registerAclRuleRoutes(app, routeDeps);
  registerBatchRoutes(app, routeDeps, { bodyLimitBytes: config.batchBodyLimitBytes });
  registerTaxonomyRoutes(app, routeDeps);
  registerRetrieverRoutes(app, routeDeps);
  registerAlertRoutes(app, routeDeps);
  registerWebhookRoutes(app, routeDeps);
  registerWebhookResendRoutes(app, routeDeps);
  registerTieringRoutes(app, routeDeps);
  registerBucketRoutes(app, routeDeps);
  registerBucketObjectRoutes(app, routeDeps);
  registerManifestRoutes(app, routeDeps);
  await registerDocsPage(app);
  await app.ready();
  return {
    app,
    verifier,
    namespaces,
    metricsRegistry: metrics.registry,
    beginShutdown: () => {
      closing = true;
    },
  };
}

function expiry(expiresAt: Date | undefined): { expiresAt?: Date } {
  return expiresAt === undefined ? {} : { expiresAt };
}

async function fetchNamespace(
  backends: Backends,
  caller: Caller,
  identifier: string,
  trace: Context | undefined,
): Promise<Result<Namespace | null, AppError>> {
  const answer = await backends.namespace.getNamespace({ identifier }, { caller, trace });
  if (!answer.ok) return answer.error.kind === "not_found" ? ok(null) : answer;
  return ok(answer.value.namespace ?? null);
}
