/**
 * A webhook's `rate_limit_per_second` in this replica: a token bucket holding one second of
 * sends. An attempt over the limit is not dropped: it gets the time of its turn, and the turns
 * handed out while the bucket is empty are spaced at the rate, so a backlog comes back evenly
 * instead of all at once.
 */
export interface EndpointRateLimiter {
  /** 0: send now (a token is spent). Otherwise how many ms from now this attempt's turn comes. */
  admit(webhookId: string, perSecond: number | null, nowMs: number): number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
  /** The next turn to hand out while the bucket is empty. */
  nextTurn: number;
}

export function createEndpointRateLimiter(): EndpointRateLimiter {
  const buckets = new Map<string, Bucket>();
  return {
    admit(webhookId, perSecond, nowMs) {
      if (perSecond === null) {
        buckets.delete(webhookId);
        return 0;
      }
      const capacity = Math.max(1, perSecond);
      const bucket = buckets.get(webhookId) ?? { tokens: capacity, updatedAt: nowMs, nextTurn: 0 };
      buckets.set(webhookId, bucket);
      bucket.tokens = Math.min(capacity, bucket.tokens + ((nowMs - bucket.updatedAt) * perSecond) / 1000);
      bucket.updatedAt = nowMs;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      const interval = 1000 / perSecond;
      const turn = Math.max(nowMs + (1 - bucket.tokens) * interval, bucket.nextTurn);
      bucket.nextTurn = turn + interval;
      return Math.ceil(turn - nowMs);
    },
  };
}
