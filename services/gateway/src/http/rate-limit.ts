import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance } from "fastify";
import type { RateLimitCheck } from "./authenticate.js";
import { callerOf } from "./request-state.js";

/**
 * Per-key request budget (@fastify/rate-limit's in-memory store, fixed window), keyed by the key
 * id rather than the client address: it runs inside the authentication hook, after the key is
 * known, so an unauthenticated flood never touches another key's budget.
 */
export async function createRateLimitCheck(
  app: FastifyInstance,
  options: { max: number; windowMs: number },
): Promise<RateLimitCheck> {
  await app.register(rateLimit, {
    global: false,
    max: options.max,
    timeWindow: options.windowMs,
    cache: 100_000,
  });
  const limiter = app.createRateLimit({ keyGenerator: (request) => callerOf(request).keyId });
  return async (request, reply) => {
    const result = await limiter(request);
    if (result.isAllowed) return { allowed: true };
    reply.header("x-ratelimit-limit", String(result.max));
    reply.header("x-ratelimit-remaining", String(result.remaining));
    reply.header("x-ratelimit-reset", String(result.ttlInSeconds));
    return result.isExceeded ? { allowed: false, retryAfterSeconds: result.ttlInSeconds } : { allowed: true };
  };
}
