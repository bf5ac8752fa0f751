/**
 * Items gathered as they come and handed to `take` together a moment later, in a timer's turn:
 * work a request does not need before its answer (counting it, say) is done after the answer has
 * gone out, once for every request of that moment (ADR 0047). Once `most` items wait they are
 * handed over at once, so a burst's memory stays bounded; `takeNow` hands over what waits (a scrape,
 * a stop).
 */
export interface TakenLater<T> {
  add(item: T): void;
  takeNow(): void;
}

export function takenLater<T>(take: (items: T[]) => void, most = Number.POSITIVE_INFINITY): TakenLater<T> {
  let waiting: T[] = [];
  let timer: NodeJS.Timeout | undefined;
  const takeNow = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (waiting.length === 0) return;
    const items = waiting;
    waiting = [];
    take(items);
  };
  return {
    add(item) {
      waiting.push(item);
      if (waiting.length >= most) takeNow();
      else if (timer === undefined) {
        timer = setTimeout(takeNow, 0);
        // Nothing waits on these items: a process that is otherwise done may end.
        timer.unref();
      }
    },
    takeNow,
  };
}
