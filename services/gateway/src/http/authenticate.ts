import { hasPermission } from "@strata/access";
import { type AppError, forbidden, tooManyRequests } from "@strata/errors";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ApiKeyVerifier } from "../auth/api-key-verifier.js";
import { bearerSecret } from "../auth/api-key-verifier.js";
import { actingCaller, PRINCIPAL_HEADER, type ResolvePrincipal } from "./act-for-principal.js";
import { sendAppError } from "./errors.js";
import type { FailedAuthLimiter } from "./failed-auth-limiter.js";
import { setAuthState } from "./request-state.js";

export type RateLimitCheck = (
  request: FastifyRequest,
  reply: FastifyReply,
) => Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }>;

/**
 * Runs first on every route that is not public, before the body is read: refuse a source that failed
 * authentication too often (429), authenticate (401), then count the request against the key's
 * rate limit (429), then check the route's permission (403).
 * The services check permissions again; answering early saves the hop.
 */
export function installAuthentication(
  app: FastifyInstance,
  deps: {
    verifier: ApiKeyVerifier;
    rateLimit: RateLimitCheck;
    failedAuth: FailedAuthLimiter;
    resolvePrincipal: ResolvePrincipal;
  },
): void {
  app.addHook("onRequest", async (request: FastifyRequest, reply: FastifyReply) => {
    const access = request.routeOptions.config.access;
    // Unknown routes answer 404 without authentication: the answer reveals nothing either way.
    if (request.is404 || access === "public") return;
    const blockedFor = deps.failedAuth.blockedForSeconds(request.ip);
    if (blockedFor > 0) return reject(request, reply, tooManyRequests(blockedFor));
    const verified = await deps.verifier.verifyAuthorizationHeader(request.headers.authorization);
    if (!verified.ok) {
      // Only a refused key counts (401), not a verifier that could not answer (503).
      if (verified.error.kind === "unauthorized") deps.failedAuth.recordFailure(request.ip);
      return reject(request, reply, verified.error);
    }
    const acting = await actingCaller(
      verified.value,
      request.headers[PRINCIPAL_HEADER],
      deps.resolvePrincipal,
    );
    if (!acting.ok) return reject(request, reply, acting.error);
    const caller = acting.value;
    setAuthState(request, { caller, secret: bearerSecret(request.headers.authorization) ?? "" });
    const limit = await deps.rateLimit(request, reply);
    if (!limit.allowed) return reject(request, reply, tooManyRequests(limit.retryAfterSeconds));
    // A route without an access level is a bug; treat it as the strictest rather than open it.
    const needed = access ?? "admin";
    if (!hasPermission(caller, needed)) {
      return reject(
        request,
        reply,
        forbidden(`This API key lacks the ${needed} permission`, { required: needed }),
      );
    }
    return undefined;
  });
}

function reject(request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  return sendAppError(request, reply, error);
}
