import { describe, expect, it } from "vitest";
import { TxGate } from "./tx-gate.js";

describe("TxGate", () => {
  it("makes an operation wait for the open transaction, then runs it", async () => {
    for (const reentryCheck of [true, false]) {
      const gate = new TxGate({ reentryCheck });
      const order: string[] = [];
      let started: () => void = () => {};
      const bodyStarted = new Promise<void>((resolve) => {
        started = resolve;
      });
      let finish: () => void = () => {};
      const transaction = gate.exclusive(async () => {
        order.push("transaction starts");
        started();
        await new Promise<void>((resolve) => {
          finish = resolve;
        });
        order.push("transaction ends");
      });
      await bodyStarted;
      const outside = gate.run(() => {
        order.push("operation");
      });
      finish();
      await Promise.all([transaction, outside]);
      expect(order).toEqual(["transaction starts", "transaction ends", "operation"]);
    }
  });

  it("with the reentry check, throws when the gate is used inside its own transaction", async () => {
    const gate = new TxGate({ reentryCheck: true });
    const reentry = gate.exclusive(() => gate.run(() => "never"));
    await expect(reentry).rejects.toThrow(/inside its own transaction/);
    // The failed transaction released the gate.
    await expect(gate.run(() => "after")).resolves.toBe("after");
  });

  it("without it, a call from inside the transaction is queued behind it rather than refused", async () => {
    const gate = new TxGate({ reentryCheck: false });
    let queued: Promise<string> | undefined;
    await gate.exclusive(async () => {
      // Not awaited: awaiting it here is the deadlock the check exists to report.
      queued = gate.run(() => "ran after the transaction");
    });
    await expect(queued).resolves.toBe("ran after the transaction");
  });

  it("tells the session its transaction has ended", async () => {
    const gate = new TxGate({ reentryCheck: false });
    let isActive: () => boolean = () => true;
    await gate.exclusive(async (active) => {
      isActive = active;
      expect(active()).toBe(true);
    });
    expect(isActive()).toBe(false);
  });
});
