/**
 * Runs `work` over `items` in their order with at most `limit` under way; once `stopped()` answers
 * true (or a `work` threw) nothing more starts. It settles only when every started `work` has
 * finished, so a caller never goes on while a step is still changing something; a throw is
 * rethrown then.
 */
export async function runBounded<T>(
  items: readonly T[],
  limit: number,
  stopped: () => boolean,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let threw = false;
  const lane = async (): Promise<void> => {
    while (next < items.length && !threw && !stopped()) {
      const item = items[next] as T;
      next += 1;
      try {
        await work(item);
      } catch (error) {
        threw = true;
        throw error;
      }
    }
  };
  const lanes = Math.max(1, Math.min(limit, items.length));
  const settled = await Promise.allSettled(Array.from({ length: lanes }, lane));
  const failed = settled.find((outcome) => outcome.status === "rejected");
  if (failed !== undefined) throw failed.reason;
}
