import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

export interface MemorySettlerOptions {
  /** How long the work must have been quiet before the collection runs. */
  readonly quietMs: number;
  /** Items of work (documents, say) a burst must have handled to be worth a collection. */
  readonly minWork: number;
  /** The collection; default a full V8 garbage collection (see `fullCollection`). */
  readonly collect?: () => void;
}

export interface MemorySettler {
  /** `count` items of work were just handled. */
  noteWork(count: number): void;
  stop(): void;
}

/**
 * One full garbage collection once a large burst of work has gone quiet. After a bulk ingest V8
 * keeps the heap it grew to: the garbage of the burst is not collected while the process idles, so
 * its memory stays resident (bench:search at 20,000 documents: 267 MB of heap "used", of which a
 * heap snapshot found 88 MB live; docs/benchmarks.md). Nothing else would allocate enough to
 * trigger the collection, so this asks for it: one pause of a full collection, at a moment the
 * process has nothing else to do.
 */
export function startMemorySettler(options: MemorySettlerOptions): MemorySettler {
  const collect = options.collect ?? fullCollection();
  let work = 0;
  let timer: NodeJS.Timeout | undefined;
  const settle = () => {
    timer = undefined;
    if (work < options.minWork) return;
    work = 0;
    collect();
  };
  return {
    noteWork(count) {
      work += count;
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(settle, options.quietMs);
      timer.unref();
    },
    stop() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}

/**
 * V8's full collection. Node exposes it only under `--expose-gc`; setting that flag at run time and
 * taking `gc` from a fresh context is the documented way to reach it without changing every command
 * that starts a service (`npm start`, the image, the manifests, the tests' launchers).
 */
function fullCollection(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed !== undefined) return exposed;
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}
