import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Serialises access to a store whose transactions span `await`s on a single connection (SQLite,
 * memory): while a transaction is open, every other operation waits, so nobody reads uncommitted
 * writes or slips a write into someone else's transaction. Operations outside transactions run at
 * once when the gate is free, without touching the queue.
 *
 * With `reentryCheck`, a call on the store itself from inside its own transaction throws instead of
 * waiting forever for the gate that transaction holds. The check needs an AsyncLocalStorage, and on
 * Node 20 the first one entered turns on V8's promise hooks for the whole process: every promise
 * then costs more (12 % of the platform's CPU per document in bench:search's 30,000-document JSON
 * ingest, ADR 0043). Tests and development run with it; production leaves it off.
 */
export class TxGate {
  private locked = false;
  private readonly waiters: Array<() => void> = [];
  private readonly context: AsyncLocalStorage<{ active: boolean }> | undefined;

  constructor(options: { readonly reentryCheck: boolean }) {
    this.context = options.reentryCheck ? new AsyncLocalStorage() : undefined;
  }

  /** Runs a synchronous operation outside any transaction, after the open transaction if any. */
  async run<R>(operation: () => R): Promise<R> {
    this.assertOutsideTransaction();
    if (!this.locked) return operation();
    await this.acquire();
    try {
      return operation();
    } finally {
      this.release();
    }
  }

  /** Holds the gate for the whole of `body`; `isActive` tells the session whether it may still act. */
  async exclusive<R>(body: (isActive: () => boolean) => Promise<R>): Promise<R> {
    this.assertOutsideTransaction();
    await this.acquire();
    const state = { active: true };
    try {
      const isActive = (): boolean => state.active;
      return await (this.context ? this.context.run(state, () => body(isActive)) : body(isActive));
    } finally {
      state.active = false;
      this.release();
    }
  }

  private assertOutsideTransaction(): void {
    // Waiting for the gate from inside the transaction that holds it would deadlock.
    if (this.context?.getStore()?.active === true) {
      throw new Error(
        "DocStore: the store was used directly inside its own transaction; use the session passed to the transaction",
      );
    }
  }

  private acquire(): Promise<void> {
    if (!this.locked) {
      this.locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.locked = false;
  }
}
