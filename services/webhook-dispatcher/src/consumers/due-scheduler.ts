import type { Logger } from "@strata/logger";
import { claimDueAttempts } from "../domain/claim-due.js";
import type { DueQueue, WebhookPorts } from "../domain/ports.js";

const BATCH = 500;
/**
 * Past this many attempts waiting on the queue, the scheduler claims nothing more: a claim that
 * ran out while its attempt still waits would only enqueue it again (the copy that comes second
 * is dropped as stale, but costs work when the workers are already behind).
 */
const MAX_BACKLOG = 2 * BATCH;

export interface DueScheduler {
  stop(): Promise<void>;
}

/**
 * Every `intervalMs`, claims the deliveries whose next attempt came due (retries, deferred
 * attempts, claims a crashed replica left behind) and enqueues them, until none is left.
 */
export function startDueScheduler(options: {
  readonly ports: WebhookPorts;
  readonly queue: DueQueue;
  readonly intervalMs: number;
  readonly logger: Logger;
}): DueScheduler {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const tick = async () => {
    try {
      for (;;) {
        if (stopped || (await options.queue.backlog()) > MAX_BACKLOG) return;
        const due = await claimDueAttempts(options.ports, BATCH);
        if (due.length > 0) await options.queue.enqueue(due);
        if (due.length < BATCH) return;
      }
    } catch (error: unknown) {
      // The claims run out and are taken again on a later tick.
      options.logger.warn({ err: error }, "webhook scheduler tick failed");
    }
  };
  const timer = setInterval(() => {
    running = running.then(tick);
  }, options.intervalMs);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
