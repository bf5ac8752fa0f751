import { execFile } from "node:child_process";
import { join } from "node:path";

/** What one autocannon run measured. */
export interface LoadResult {
  readonly label: string;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly errors: number;
}

export interface LoadOptions {
  readonly label: string;
  readonly url: string;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly headers?: Record<string, string>;
  /** A steady total rate instead of as fast as possible. */
  readonly overallRate?: number;
}

interface AutocannonJson {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}

export interface SteadyResult {
  readonly label: string;
  readonly sent: number;
  readonly completed: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** Runs steady-load.ts (open loop, fixed rate) as a separate process. */
export function runSteadyLoad(options: {
  label: string;
  url: string;
  rate: number;
  durationSeconds: number;
  headers?: Record<string, string>;
}): Promise<SteadyResult> {
  const tsx = join(process.cwd(), "node_modules/.bin/tsx");
  const script = join(import.meta.dirname, "steady-load.ts");
  const { label, ...rest } = options;
  return new Promise((resolve, reject) => {
    execFile(tsx, [script, JSON.stringify(rest)], { maxBuffer: 1024 * 1024 }, (error, stdout) => {
      if (error) return reject(error);
      resolve({ label, ...(JSON.parse(stdout) as Omit<SteadyResult, "label">) });
    });
  });
}

/**
 * Runs autocannon as a separate process, so the load generator does not share the event loop of
 * the server it measures (on 2 cores they still share the machine, as in notes/baselines.md).
 */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const bin = join(process.cwd(), "node_modules/.bin/autocannon");
  const args = ["-j", "-c", String(options.connections), "-d", String(options.durationSeconds)];
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push("-H", `${name}=${value}`);
  if (options.overallRate !== undefined) args.push("-R", String(options.overallRate));
  args.push(options.url);
  return new Promise((resolve, reject) => {
    execFile(bin, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      if (error) return reject(error);
      const result = JSON.parse(stdout) as AutocannonJson;
      resolve({
        label: options.label,
        requestsPerSecond: result.requests.average,
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        non2xx: result.non2xx,
        errors: result.errors,
      });
    });
  });
}
