import type { JsMsg } from "nats";
import { backoffDelay } from "./backoff.js";
import { describeError } from "./bus-logger.js";
import type { ConsumerOutcome, EngineContext } from "./consumer-engine.js";
import { publishDeadLetter } from "./dead-letter.js";

/** Retries of a dead letter that could not be written (no DLQ stream, NATS away). */
const DEAD_LETTER_RETRY = { initialMs: 500, maxMs: 5_000 } as const;

/** Handles one delivery from the moment the engine takes it until it is settled. */
export async function processMessage(p: EngineContext, m: JsMsg): Promise<void> {
  const attempt = m.info.deliveryCount;
  const beats = startHeartbeats(p, m);
  try {
    if (attempt > p.maxDeliver) {
      await giveUp(p, m, `no outcome after ${p.maxDeliver} deliveries (handler timed out or crashed)`);
      return;
    }
    const outcome = await beats.whileHandling(() => runHandler(p, m, attempt));
    switch (outcome.action) {
      case "ack":
        p.acks.add(() => m.ack());
        return;
      case "retry":
        if (attempt >= p.maxDeliver) await giveUp(p, m, `gave up after ${attempt} attempts`);
        else m.nak(Math.max(0, outcome.delayMs ?? backoffDelay(attempt, p.retryBackoff)));
        return;
      case "dead":
        await giveUp(p, m, outcome.reason);
        return;
    }
  } finally {
    beats.stop();
  }
}

async function runHandler(p: EngineContext, m: JsMsg, attempt: number): Promise<ConsumerOutcome> {
  try {
    return await p.handle(m, { attempt, subject: m.subject });
  } catch (e) {
    const delayMs = backoffDelay(attempt, p.retryBackoff);
    p.logger.warn(
      {
        ...describeError(e),
        durable: p.durable,
        subject: m.subject,
        seq: m.info.streamSequence,
        attempt,
        delay_ms: delayMs,
      },
      "handler threw; will retry",
    );
    return { action: "retry", delayMs };
  }
}

/**
 * Dead-letters `m` and terms it. If that fails, the message stays in hand (heartbeats go on) and
 * is tried again with backoff: a nak would cost a delivery, and on the last one lose the message.
 * Only a stop ends the attempts; the message is then nak'ed for a later start or another replica.
 */
async function giveUp(p: EngineContext, m: JsMsg, reason: string): Promise<void> {
  for (let failures = 1; ; failures++) {
    const failure = await deadLetter(p, m, reason);
    if (failure === undefined) {
      m.term();
      p.observer?.deadLettered(p.durable);
      p.logger.warn(
        { durable: p.durable, subject: m.subject, seq: m.info.streamSequence, reason },
        "message dead-lettered",
      );
      return;
    }
    p.logger.error(
      { durable: p.durable, subject: m.subject, seq: m.info.streamSequence, err: failure },
      "dead letter not written; will try again",
    );
    if (p.stopping()) {
      m.nak();
      return;
    }
    await new Promise((r) => setTimeout(r, backoffDelay(failures, DEAD_LETTER_RETRY)));
  }
}

/** undefined once the dead letter is written, else why not. */
async function deadLetter(p: EngineContext, m: JsMsg, reason: string): Promise<string | undefined> {
  try {
    const recorded = await p.beforeDeadLetter?.(m, reason);
    if (recorded !== undefined && !recorded.ok) return recorded.error.message;
    await publishDeadLetter(p.js, p.deadLetterSubject, p.durable, m, reason);
    return undefined;
  } catch (e) {
    return describeError(e).err;
  }
}

/**
 * Tells the server every ackWait/3 that `m` is still being worked on, so the ack wait only has to
 * cover a dead replica. A handler past maxHandlerMs gets no more heartbeats: it counts as hung.
 */
function startHeartbeats(p: EngineContext, m: JsMsg) {
  let handlerSince: number | undefined;
  let hungReported = false;
  const timer = setInterval(
    () => {
      if (handlerSince !== undefined && Date.now() - handlerSince > p.maxHandlerMs) {
        if (!hungReported) {
          hungReported = true;
          p.logger.warn(
            {
              durable: p.durable,
              subject: m.subject,
              seq: m.info.streamSequence,
              max_handler_ms: p.maxHandlerMs,
            },
            "handler still running; its message will be delivered again",
          );
        }
        return;
      }
      try {
        m.working();
      } catch {
        // The connection is closed: the server delivers the message again after ack_wait.
      }
    },
    Math.max(10, Math.floor(p.ackWaitMs / 3)),
  );
  // A handler that never settles must not keep the process alive through its heartbeats.
  timer.unref();
  return {
    async whileHandling<T>(work: () => Promise<T>): Promise<T> {
      handlerSince = Date.now();
      try {
        return await work();
      } finally {
        handlerSince = undefined;
      }
    },
    stop: () => clearInterval(timer),
  };
}
