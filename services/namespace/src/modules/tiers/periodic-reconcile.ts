import type { Logger } from "@strata/logger";
import type { TierPorts } from "./ports.js";
import { RECONCILE_EVERY_MS, reconcileMoves } from "./reconcile-moves.js";

/**
 * Reconciles journalled moves older than one period, every period, while the service runs: a move
 * whose source delete failed (the store was briefly unavailable) leaves a journal that would
 * otherwise wait for the next restart. Runs never overlap; stop waits for the one in progress.
 */
export function startPeriodicReconcile(
  ports: Pick<TierPorts, "store" | "tiers" | "vectors" | "clock">,
  logger: Logger,
  everyMs = RECONCILE_EVERY_MS,
): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running !== undefined) return;
    running = reconcileMoves(ports, new Date(ports.clock().getTime() - everyMs))
      .then((r) => {
        if (!r.ok)
          logger.warn({ error: r.error.message }, "reconciling tier moves failed; next period retries");
        else if (r.value.journals > 0) logger.info(r.value, "reconciled journalled tier moves");
      })
      .catch((e: unknown) => logger.warn({ error: String(e) }, "reconciling tier moves failed"))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
