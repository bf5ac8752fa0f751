/**
 * Mutual exclusion by key within this process: `run(keys, work)` starts once every earlier `run`
 * holding any of the keys has finished, in call order. A call registers all its keys at once, so it
 * only ever waits for calls made before it and no two calls wait for each other.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    let release: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    const unique = [...new Set(keys)];
    const before: Promise<void>[] = [];
    for (const key of unique) {
      const tail = this.tails.get(key);
      if (tail !== undefined) before.push(tail);
      this.tails.set(key, done);
    }
    try {
      await Promise.all(before);
      return await work();
    } finally {
      release();
      for (const key of unique) if (this.tails.get(key) === done) this.tails.delete(key);
    }
  }
}
