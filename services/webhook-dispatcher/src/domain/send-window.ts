/**
 * How many first attempts the fan-out may have in hand (waiting for their endpoint or being sent)
 * before it takes more events: without it a burst of events would be fanned out faster than it is
 * sent, and every attempt past its endpoint's line would go the slow way, through the work queue.
 *
 * Waiting events go on together once the window has drained to half (not one at a time as single
 * attempts end): they then share one fan-out transaction instead of paying one each.
 *
 * An attempt stops counting once it has been in the window for `holdMs`, though it keeps its
 * endpoint slot: a slow or dead endpoint then cannot stall the fan-out (and with it every other
 * endpoint) for longer than that; its further attempts find its line full and go to the queue.
 */
export interface SendWindow {
  /** At once below `capacity` attempts; when full, once it drained to half. */
  room(): Promise<void>;
  /** Counts one attempt; the answer ends it (safe to call more than once). */
  enter(): () => void;
}

export function createSendWindow(
  capacity: number,
  holdMs: number,
  now: () => number = () => performance.now(),
): SendWindow {
  // Insertion order is entry order: the oldest attempt is always first.
  const counted = new Map<number, number>();
  const waiting: Array<() => void> = [];
  let nextId = 0;
  let timer: NodeJS.Timeout | undefined;

  const forgetHeld = () => {
    const at = now();
    for (const [id, enteredAt] of counted) {
      if (at - enteredAt < holdMs) break;
      counted.delete(id);
    }
  };
  const wake = () => {
    forgetHeld();
    if (counted.size <= capacity / 2) for (const resolve of waiting.splice(0)) resolve();
    if (waiting.length === 0 || timer !== undefined) return;
    // Nobody leaves: wake again when the oldest attempt stops counting.
    const [oldest] = counted.values();
    timer = setTimeout(
      () => {
        timer = undefined;
        wake();
      },
      Math.max(1, (oldest ?? now()) + holdMs - now()),
    );
  };

  return {
    room() {
      forgetHeld();
      if (counted.size < capacity && waiting.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        waiting.push(resolve);
        wake();
      });
    },
    enter() {
      const id = nextId++;
      counted.set(id, now());
      return () => {
        if (counted.delete(id)) wake();
      };
    },
  };
}
