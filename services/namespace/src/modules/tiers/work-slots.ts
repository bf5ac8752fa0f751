import type { WorkSlots } from "./ports.js";

/**
 * At most `size` pieces of work at once, the rest queued in arrival order: bounds how many moves
 * (each a burst of index and object-store I/O) run beside queries (ADR 0023).
 */
export function workSlots(size: number): WorkSlots {
  let running = 0;
  const waiting: (() => void)[] = [];
  return {
    async run<T>(work: () => Promise<T>): Promise<T> {
      if (running >= size) await new Promise<void>((resolve) => waiting.push(resolve));
      else running += 1;
      try {
        return await work();
      } finally {
        const next = waiting.shift();
        if (next === undefined) running -= 1;
        else next();
      }
    },
  };
}
