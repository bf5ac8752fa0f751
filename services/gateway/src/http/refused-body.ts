import type { IncomingMessage } from "node:http";

/** At least this much of a refused body is read and dropped before the connection is closed anyway. */
const MIN_DISCARD_BYTES = 8 * 1024 * 1024;
/** A client that trickles its refused body gets its answer after this, and the connection closes. */
const DISCARD_TIMEOUT_MS = 10_000;

/**
 * Reads and drops what is left of a request body the gateway refused (413), so that a client still
 * sending it gets to read the answer: closing a socket with unread bytes makes the kernel answer
 * with a reset, which the client reports (EPIPE, ECONNRESET, curl's "send failure") instead of the
 * 413. Bounded: it stops after twice the limit (8 MiB at least) or 10 s, whichever comes first;
 * the answer then closes the connection, and a client past the bound may see the reset after all.
 */
export function discardRefusedBody(raw: IncomingMessage, limitBytes: number): Promise<void> {
  if (raw.complete || raw.destroyed) return Promise.resolve();
  const maxBytes = Math.max(2 * limitBytes, MIN_DISCARD_BYTES);
  return new Promise((resolve) => {
    let read = 0;
    const finish = (): void => {
      clearTimeout(timer);
      raw.off("data", onData);
      raw.off("end", finish);
      raw.off("close", finish);
      raw.off("error", finish);
      resolve();
    };
    const onData = (chunk: Buffer): void => {
      read += chunk.length;
      if (read > maxBytes) {
        // Past the bound: stop reading; the answer goes out and the connection closes.
        raw.pause();
        finish();
      }
    };
    const timer = setTimeout(finish, DISCARD_TIMEOUT_MS);
    raw.on("data", onData);
    raw.once("end", finish);
    raw.once("close", finish);
    raw.once("error", finish);
    raw.resume();
  });
}
