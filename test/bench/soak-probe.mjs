// Preloaded into the platform process by the soak (`node --import <this file>`): every
// SOAK_PROBE_INTERVAL_MS it prints one `soak-probe {json}` line with the process's memory and its
// event-loop delay since the last line. Plain JavaScript: it loads before tsx does.
import { constants, monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";

const intervalMs = Number(process.env.SOAK_PROBE_INTERVAL_MS ?? 5000);
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
// The heap right after the latest full collection: the live set, without the sawtooth of garbage
// that a plain heapUsed sample shows (and without forcing collections that would stall the loop).
let heapAfterMajorGc = process.memoryUsage().heapUsed;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
      heapAfterMajorGc = process.memoryUsage().heapUsed;
    }
  }
}).observe({ entryTypes: ["gc"] });

setInterval(() => {
  const memory = process.memoryUsage();
  const sample = {
    rss: memory.rss,
    heapUsed: memory.heapUsed,
    heapAfterMajorGc,
    external: memory.external,
    delayP99Ms: delay.percentile(99) / 1e6,
    delayMaxMs: delay.max / 1e6,
  };
  delay.reset();
  process.stdout.write(`soak-probe ${JSON.stringify(sample)}\n`);
}, intervalMs).unref();
