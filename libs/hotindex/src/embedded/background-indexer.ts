import type { EmbeddedSpace } from "./embedded-space.js";

export interface IndexerOptions {
  /** Native threads per graph insert call. */
  readonly threads: number;
  /** Longest a single insert step may hold the event loop, roughly (ms)… */
  readonly stepBudgetMs: number;
  /**
   * …and while searches are coming (one within `busyWindowMs`). A search through the gateway takes
   * several turns of the event loop (HTTP, the gRPC call, the store reads of its hits), and each turn
   * can wait for one step: with 15 ms steps a search took 120 ms at the median while a 100,000-vector
   * graph was being built (docs/benchmarks.md).
   */
  readonly searchStepBudgetMs: number;
  /** Save a space's graph once this many changes have accumulated, even while still indexing… */
  readonly snapshotEvery: number;
  /** …and, once caught up, when at least this many are unsaved (fewer are re-indexed after a restart). */
  readonly snapshotWhenIdleAfter: number;
  /** While writes keep coming (one within this many ms), the indexer takes a smaller share… */
  readonly busyWindowMs: number;
  /** …pausing this long after each step, so ingestion keeps most of the event loop. */
  readonly busyPauseMs: number;
}

/**
 * Fills the graphs behind the writes, like Qdrant's optimizer: a short synchronous insert step, then
 * back to the event loop (so searches and writes go on), until every space has caught up; then it
 * saves the graphs that changed and sleeps until `wake()`. Step sizes adapt to the measured cost
 * per vector (~0.2 ms at 384-d with f16 here).
 *
 * The graph is an accelerator, not what makes a write searchable (the appendable segment is
 * scanned exactly), so while writes stream in the indexer yields: one step per `busyPauseMs`,
 * which caps it at roughly stepBudget / (stepBudget + pause) of the event loop. Once writes stop
 * it runs flat out and catches up.
 */
export class BackgroundIndexer {
  private running = false;
  private stopped = false;
  private msPerVector = 0.5;
  private waiters: (() => void)[] = [];
  private timer: NodeJS.Immediate | undefined;
  private pause: NodeJS.Timeout | undefined;
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  private lastSearchAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly spaces: () => Iterable<EmbeddedSpace>,
    private readonly options: IndexerOptions,
  ) {}

  /** A write arrived: index it, at the reduced pace while writes keep coming. */
  noteWrite(): void {
    this.lastWriteAt = performance.now();
    this.wake();
  }

  /** A search ran: keep the steps short for a while, so it and the next ones wait less. */
  noteSearch(): void {
    this.lastSearchAt = performance.now();
  }

  wake(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    this.timer = setImmediate(() => this.step());
  }

  /** Resolves when no space has vectors waiting for the graph. */
  idle(): Promise<void> {
    if (!this.running && ![...this.spaces()].some((s) => s.pending)) return Promise.resolve();
    this.wake();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearImmediate(this.timer);
    if (this.pause) clearTimeout(this.pause);
    this.running = false;
    for (const w of this.waiters.splice(0)) w();
  }

  private step(): void {
    this.timer = undefined;
    this.pause = undefined;
    if (this.stopped) return;
    const space = [...this.spaces()].find((s) => s.pending);
    if (space) {
      const searched = performance.now() - this.lastSearchAt < this.options.busyWindowMs;
      const budget = searched ? this.options.searchStepBudgetMs : this.options.stepBudgetMs;
      const batch = Math.max(8, Math.min(2048, Math.floor(budget / this.msPerVector)));
      const started = performance.now();
      const done = space.indexStep(batch, this.options.threads);
      const elapsed = performance.now() - started;
      if (done > 0 && elapsed > 0) this.msPerVector = 0.7 * this.msPerVector + 0.3 * (elapsed / done);
      space.saveGraphIfWorthIt(this.options.snapshotEvery);
      const busy = performance.now() - this.lastWriteAt < this.options.busyWindowMs;
      // Waiters (tests, benchmarks, tier moves) want the graph now: no yielding for them.
      if (busy && this.waiters.length === 0)
        this.pause = setTimeout(() => this.step(), this.options.busyPauseMs);
      else this.timer = setImmediate(() => this.step());
      return;
    }
    for (const s of this.spaces()) s.saveGraphIfWorthIt(this.options.snapshotWhenIdleAfter);
    this.running = false;
    for (const w of this.waiters.splice(0)) w();
  }
}
