/**
 * Counts failed authentications per client address in a fixed window. A source past `max` failures
 * is refused (429) before its next key is even verified, until its window ends: guessing keys
 * costs an attacker the window, and costs the auth service nothing more. A success does not
 * reset the count, so mixing one valid key into a guessing run buys nothing.
 */
export class FailedAuthLimiter {
  readonly #max: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #maxSources: number;
  readonly #windows = new Map<string, { failures: number; endsAt: number }>();

  constructor(options: { max: number; windowMs: number; now?: () => number; maxSources?: number }) {
    this.#max = options.max;
    this.#windowMs = options.windowMs;
    this.#now = options.now ?? Date.now;
    this.#maxSources = options.maxSources ?? 100_000;
  }

  /** Seconds until `source` may try again, or 0 when it may try now. `max` 0 turns the limit off. */
  blockedForSeconds(source: string): number {
    if (this.#max === 0) return 0;
    const window = this.#current(source);
    if (window === undefined || window.failures < this.#max) return 0;
    return Math.max(1, Math.ceil((window.endsAt - this.#now()) / 1000));
  }

  recordFailure(source: string): void {
    if (this.#max === 0) return;
    const window = this.#current(source);
    if (window !== undefined) {
      window.failures += 1;
      return;
    }
    // A flood of addresses must not grow the map without end: the oldest window goes first.
    if (this.#windows.size >= this.#maxSources) {
      const oldest = this.#windows.keys().next();
      if (oldest.done !== true) this.#windows.delete(oldest.value);
    }
    this.#windows.set(source, { failures: 1, endsAt: this.#now() + this.#windowMs });
  }

  #current(source: string): { failures: number; endsAt: number } | undefined {
    const window = this.#windows.get(source);
    if (window === undefined) return undefined;
    if (window.endsAt > this.#now()) return window;
    this.#windows.delete(source);
    return undefined;
  }
}
