/**
 * Group commit: items submitted while a batch is being written wait and go together in the next
 * one, so N concurrent attempts cost one transaction (one SQLite commit, one MongoDB round of
 * writes) instead of N. Under light load a batch holds one item and waits for nothing but the
 * current tick. `run` answers one result per item, in order; if it throws, every item in the
 * batch gets the error.
 */
export function groupCommit<I, O>(
  run: (items: readonly I[]) => Promise<readonly O[]>,
  maxBatch: number,
): (item: I) => Promise<O> {
  interface Waiting {
    readonly item: I;
    readonly resolve: (value: O) => void;
    readonly reject: (error: unknown) => void;
  }
  let queue: Waiting[] = [];
  let flushing = false;
  const flush = async () => {
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      try {
        const results = await run(batch.map((w) => w.item));
        batch.forEach((w, i) => {
          w.resolve(results[i] as O);
        });
      } catch (error: unknown) {
        for (const w of batch) w.reject(error);
      }
    }
    flushing = false;
  };
  return (item) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (flushing) return;
      flushing = true;
      // The rest of this tick's submissions join the first batch.
      setImmediate(() => void flush());
    });
}
