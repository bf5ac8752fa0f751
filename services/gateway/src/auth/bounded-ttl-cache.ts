/**
 * A size-bounded map whose entries expire at a time each entry carries. When full, the oldest
 * insertion goes first (a Map iterates in insertion order), which is enough for a cache whose
 * entries all live about as long. Time is passed in so tests need no fake clocks.
 */
export class BoundedTtlCache<V> {
  readonly #entries = new Map<string, { value: V; expiresAt: number }>();
  readonly #maxEntries: number;
  readonly #onEvict: ((key: string, value: V) => void) | undefined;

  constructor(options: { maxEntries: number; onEvict?: (key: string, value: V) => void }) {
    if (options.maxEntries < 1) throw new Error("maxEntries must be at least 1");
    this.#maxEntries = options.maxEntries;
    this.#onEvict = options.onEvict;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: string, now: number): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now) {
      this.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V, expiresAt: number): void {
    // Re-inserting moves the key to the young end, so a refreshed entry is not evicted first.
    this.delete(key);
    while (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.delete(oldest.value);
    }
    this.#entries.set(key, { value, expiresAt });
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#onEvict?.(key, entry.value);
  }

  clear(): void {
    for (const key of [...this.#entries.keys()]) this.delete(key);
  }
}
