/**
 * Acks sent together. The nats client writes its outbound buffer in the microtask after the first
 * command queued into an empty buffer; a handler's ack comes several microtasks after the previous
 * message's, so acks sent as each handler settled left one socket write each: 40 % of a consumer's
 * CPU per delivery (docs/benchmarks.md, "One socket write per ack"). Queued here, the acks of one
 * turn of the event loop are sent in one synchronous run on the next, and leave in one write.
 *
 * An ack delayed by one turn changes no guarantee: until it reaches the server the message is
 * simply still in hand, and a crash before then redelivers it, as it would a moment earlier.
 */
export class AckBatch {
  #pending: (() => void)[] = [];
  #scheduled: NodeJS.Immediate | undefined;

  /** Sends `ack` (a message's `ack()`) with the others of this turn. */
  add(ack: () => void): void {
    this.#pending.push(ack);
    this.#scheduled ??= setImmediate(() => this.flush());
  }

  /** Sends what is queued now (a stop calls it before the connection may close). */
  flush(): void {
    if (this.#scheduled !== undefined) clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    const pending = this.#pending;
    this.#pending = [];
    for (const ack of pending) {
      try {
        ack();
      } catch {
        // The connection is closed: the server delivers the message again after ack_wait.
      }
    }
  }
}
