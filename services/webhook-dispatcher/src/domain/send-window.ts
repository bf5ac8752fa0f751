/**
 * How many first attempts the fan-out may have in hand (waiting for their endpoint or being sent)
 * before it takes more events: without it a burst of events would be fanned out faster than it is
 * sent, and every attempt past its endpoint's line would go the slow way, through the work queue.
 *
 * Waiting events go on together once the window has drained to half (not one at a time as single
 * attempts end): they then share one fan-out transaction instead of paying one each. Each event
 * let in holds a place until its attempts have entered: 64 events let in at the same moment would
 * otherwise all see the same free room, and the attempts past their endpoint's line went to the
 * work queue (60 % of them in `bench:webhooks`, ADR 0044).
 *
 * An attempt stops counting once it has been in the window for `holdMs`, though it keeps its
 * endpoint slot: a slow or dead endpoint then cannot stall the fan-out (and with it every other
 * endpoint) for longer than that; its further attempts find its line full and go to the queue.
 */
export interface SendWindow {
  /**
   * Holds a place for one event until the answer is called, once its attempts have entered: at
   * once while attempts and places together are below `capacity`; when full, once they drained to
   * half. Without the place, every event admitted at the same moment would count as room for one.
   */
  room(): Promise<() => void>;
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
  // Places held by events being fanned out, whose attempts have not entered yet.
  let places = 0;
  let nextId = 0;
  let timer: NodeJS.Timeout | undefined;

  const forgetHeld = () => {
    const at = now();
    for (const [id, enteredAt] of counted) {
      if (at - enteredAt < holdMs) break;
      counted.delete(id);
    }
  };
  const inHand = () => counted.size + places;
  const hold = (): (() => void) => {
    places += 1;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      places -= 1;
      wake();
    };
  };
  const wake = () => {
    forgetHeld();
    if (inHand() <= capacity / 2) {
      const free = capacity - inHand();
      for (const resolve of waiting.splice(0, free)) resolve();
    }
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
      if (inHand() < capacity && waiting.length === 0) return Promise.resolve(hold());
      return new Promise<() => void>((resolve) => {
        waiting.push(() => resolve(hold()));
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
