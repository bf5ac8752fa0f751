import type { Logger } from "@strata/logger";

/**
 * Runs `work` every `intervalMs` (and once at once when `now`), never two runs at a time; a failed
 * run is logged and the next one comes as usual.
 */
export function every(options: {
  readonly intervalMs: number;
  readonly logger: Logger;
  readonly what: string;
  readonly now?: boolean;
  readonly work: () => Promise<void>;
}): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  let busy = false;
  const run = () => {
    if (busy) return;
    busy = true;
    running = options
      .work()
      .catch((error: unknown) =>
        options.logger.warn({ err: error }, `${options.what} failed; it runs again later`),
      )
      .finally(() => {
        busy = false;
      });
  };
  const timer = setInterval(run, options.intervalMs);
  timer.unref();
  if (options.now === true) run();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
