import type { Logger } from "@strata/logger";
import type { WebhookPorts } from "../domain/ports.js";
import { purgeExpiredDeliveries } from "../domain/purge-expired.js";

/** Purges expired deliveries every `intervalMs` (every replica may; the deletes are idempotent). */
export function startRetentionPurge(options: {
  readonly ports: WebhookPorts;
  readonly retentionMs: number;
  readonly intervalMs: number;
  readonly logger: Logger;
}): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(async () => {
      try {
        const purged = await purgeExpiredDeliveries(options.ports, options.retentionMs);
        if (purged.deliveries > 0) options.logger.info(purged, "expired webhook deliveries purged");
      } catch (error: unknown) {
        options.logger.warn({ err: error }, "webhook retention purge failed; it runs again later");
      }
    });
  }, options.intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
