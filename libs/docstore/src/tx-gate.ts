import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Serialises access to a store whose transactions span `await`s on a single connection (SQLite,
 * memory): while a transaction is open, every other operation waits, so nobody reads uncommitted
 * writes or slips a write into someone else's transaction. Operations outside transactions run at
 * once when the gate is free, without touching the queue.
 */
export class TxGate {
  private locked = false;
  private readonly waiters: Array<() => void> = [];
  private readonly context = new AsyncLocalStorage<{ active: boolean }>();

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
      return await this.context.run(state, () => body(() => state.active));
    } finally {
      state.active = false;
      this.release();
    }
  }

  private assertOutsideTransaction(): void {
    // Waiting for the gate from inside the transaction that holds it would deadlock.
    if (this.context.getStore()?.active === true) {
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
