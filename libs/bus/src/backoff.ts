/** A retry delay that doubles per attempt from `initialMs` and stays at `maxMs`. */
export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

/**
 * The delay before retry number `attempt` (1 for the first retry): `initialMs`, twice that, four
 * times … capped at `maxMs`. The one copy of the formula for consumers, the outbox relay and the
 * handlers that choose their own retry delays.
 */
export function backoffDelay(attempt: number, backoff: Backoff): number {
  const exponent = Math.max(0, attempt - 1);
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** exponent);
}
