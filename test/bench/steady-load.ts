/**
 * An open-loop load generator: sends requests at a fixed rate whatever the answers do, and measures
 * each latency from the moment the request was due (so a stall counts against every request it
 * delays, unlike closed-loop tools that just send less). Run as a separate process by the benchmark:
 *   tsx steady-load.ts '{"url": "...", "rate": 1000, "durationSeconds": 10, "headers": {...}}'
 * Prints one JSON line: {sent, completed, non2xx, errors, p50Ms, p90Ms, p99Ms, maxMs}.
 */
import { Agent, request } from "node:http";

interface Options {
  url: string;
  rate: number;
  durationSeconds: number;
  headers?: Record<string, string>;
}

const options = JSON.parse(process.argv[2] ?? "{}") as Options;
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
const latencies: number[] = [];
let sent = 0;
let non2xx = 0;
let errors = 0;
let inFlight = 0;

function fire(dueAt: number): void {
  sent++;
  inFlight++;
  const req = request(options.url, { agent, headers: options.headers ?? {} }, (res) => {
    res.resume();
    res.on("end", () => {
      inFlight--;
      latencies.push(performance.now() - dueAt);
      if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) >= 300) non2xx++;
    });
  });
  req.on("error", () => {
    inFlight--;
    errors++;
  });
  req.end();
}

const intervalMs = 1000 / options.rate;
const started = performance.now();
const total = Math.round(options.rate * options.durationSeconds);
let next = 0;
await new Promise<void>((resolve) => {
  const timer = setInterval(() => {
    const now = performance.now();
    // Catch up on every request that fell due since the last tick, each with its own due time.
    while (next < total && started + next * intervalMs <= now) {
      fire(started + next * intervalMs);
      next++;
    }
    if (next >= total) {
      clearInterval(timer);
      resolve();
    }
  }, 1);
});
const deadline = performance.now() + 10_000;
while (inFlight > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
latencies.sort((a, b) => a - b);
const at = (q: number): number =>
  Number((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN).toFixed(2));
process.stdout.write(
  `${JSON.stringify({ sent, completed: latencies.length, non2xx, errors, p50Ms: at(0.5), p90Ms: at(0.9), p99Ms: at(0.99), maxMs: at(1) })}\n`,
);
agent.destroy();
