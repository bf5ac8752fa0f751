/** How calls that are safe to repeat are retried. */
export interface RetryPolicy {
  /** Tries in all, the first included (1 turns retries off). */
  readonly attempts: number;
  /** The first wait; each next one doubles, up to maxDelayMs. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 200, maxDelayMs: 5_000 };

// Answers that say "the same request may succeed later": rate limited, or the platform overloaded,
// stopping or between restarts.
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);
const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);

/**
 * A request is retried only when repeating it cannot do something twice: an idempotent method, or
 * a POST carrying an Idempotency-Key (the server answers a repeat with the first answer).
 */
export function isRepeatable(request: Request): boolean {
  return IDEMPOTENT_METHODS.has(request.method) || request.headers.has("idempotency-key");
}

/**
 * Wraps fetch: repeatable requests that fail to connect or get a retryable status are sent again
 * (the same body and Idempotency-Key), after Retry-After when the server gives one, otherwise after
 * an exponential backoff with jitter.
 */
export function retryingFetch(
  base: (request: Request) => Promise<Response>,
  policy: RetryPolicy,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): (request: Request) => Promise<Response> {
  return async (request) => {
    if (policy.attempts <= 1 || !isRepeatable(request)) return base(request);
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= policy.attempts;
      // A request body can be read once: every try but the last sends a copy.
      const sent = last ? request : request.clone();
      let response: Response;
      try {
        response = await base(sent);
      } catch (error) {
        if (last) throw error;
        await sleep(backoff(policy, attempt));
        continue;
      }
      if (last || !RETRYABLE_STATUSES.has(response.status)) return response;
      const retryAfter = Number(response.headers.get("retry-after"));
      await response.body?.cancel();
      await sleep(
        Number.isFinite(retryAfter) && retryAfter > 0
          ? Math.min(retryAfter * 1000, policy.maxDelayMs)
          : backoff(policy, attempt),
      );
    }
  };
}

function backoff(policy: RetryPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}
