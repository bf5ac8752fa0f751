import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { startNatsServer, tempDir } from "@strata/testkit";
import { connect, type NatsConnection } from "nats";

/**
 * The platform as a real process, the way a container runs it (against an external NATS) or the
 * way `npm start` runs it (embedded: no NATS URL, a nats-server child of its own). It runs
 * as ONE process (`node --import tsx`), not under the tsx CLI, which would put a wrapper process
 * in between: SIGKILL on the wrapper leaves the platform itself running, so a "crash" would not be
 * one.
 */
export interface PlatformProcess {
  readonly child: ChildProcess;
  /** The gateway's URL; empty when this process runs no gateway. */
  readonly url: string;
  /** The metrics listener (STRATA_METRICS_PORT): `${metricsUrl}/metrics` and `/readyz`. */
  readonly metricsUrl: string;
  readonly exited: Promise<unknown>;
}

export interface PlatformProcessOptions {
  /** Absent: the embedded mode. */
  readonly natsUrl?: string;
  /** Required with `natsUrl` (the distributed mode); the embedded mode makes its own. */
  readonly internalToken?: string;
  readonly dataDir: string;
  /** More variables, e.g. STRATA_SERVICES to run a subset as one container would. */
  readonly env?: Record<string, string>;
  /** Node flags before the entry point (e.g. --cpu-prof for a benchmark). */
  readonly nodeArgs?: readonly string[];
  /** Default 60 s. */
  readonly startTimeoutMs?: number;
  /** The launcher entry, from the repository's root; default services/platform/src/main.ts. */
  readonly entry?: string;
}

const repoRoot = join(import.meta.dirname, "../..");
const launched: ChildProcess[] = [];

export async function launchPlatformProcess(options: PlatformProcessOptions): Promise<PlatformProcess> {
  const entry = [
    ...(options.nodeArgs ?? []),
    "--import",
    "tsx",
    options.entry ?? "services/platform/src/main.ts",
  ];
  const child = spawn(process.execPath, entry, {
    cwd: repoRoot,
    env: {
      ...process.env,
      ...(options.natsUrl === undefined ? {} : { NATS_URL: options.natsUrl }),
      ...(options.internalToken === undefined ? {} : { STRATA_INTERNAL_TOKEN: options.internalToken }),
      STRATA_DATA_DIR: options.dataDir,
      STRATA_HTTP_PORT: "0",
      STRATA_METRICS_PORT: "0",
      AUTH_GRPC_PORT: "0",
      NAMESPACE_GRPC_PORT: "0",
      ACL_QUERY_GRPC_PORT: "0",
      WEBHOOK_GRPC_PORT: "0",
      TIER_MIGRATOR_GRPC_PORT: "0",
      MANIFEST_GRPC_PORT: "0",
      LOG_LEVEL: "warn",
      GATEWAY_RATE_LIMIT_MAX: "1000000",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  launched.push(child);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const output = await new Promise<string>((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(
      () => reject(new Error(`the platform did not start: ${seen}`)),
      options.startTimeoutMs ?? 60_000,
    );
    child.stdout?.on("data", (chunk: Buffer) => {
      seen += chunk.toString("utf8");
      // The launcher prints the gateway's and the metrics URLs before its last start-up line.
      if (!seen.includes("Ctrl-C")) return;
      clearTimeout(timer);
      resolve(seen);
    });
    child.once("exit", (code) => reject(new Error(`platform exited with ${code}: ${seen}`)));
  });
  const url = /REST API:\s+(http:\/\/\S+)/.exec(output)?.[1] ?? "";
  const metricsUrl = /Metrics:\s+(http:\/\/\S+)\/metrics/.exec(output)?.[1] ?? "";
  return { child, url, metricsUrl, exited };
}

/** Kills every platform process a test launched and has not seen exit, so none outlives the run. */
export function killLaunchedPlatforms(): void {
  for (const child of launched) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
}

/**
 * What a crash test needs around the platform process: its own NATS (which outlives the process),
 * a data directory kept across restarts, and a connection to read the event stream.
 */
export interface CrashRig {
  readonly nc: NatsConnection;
  /** Kept across restarts: the stores a test lists after a crash. */
  readonly dataDir: string;
  /**
   * Starts the platform process on the rig's NATS and data directory (with more variables, if
   * given; through another launcher entry, if given).
   */
  launch(env?: Record<string, string>, entry?: string): Promise<PlatformProcess>;
  /** The admin key the first start wrote to the data directory. */
  adminKey(): Promise<string>;
  close(): Promise<void>;
}

export async function startCrashRig(prefix: string): Promise<CrashRig> {
  const nats = await startNatsServer();
  const dataDir = await tempDir(prefix);
  const nc = await connect({ servers: nats.url });
  const internalToken = randomBytes(32).toString("hex");
  return {
    nc,
    dataDir: dataDir.path,
    launch: (env, entry) =>
      launchPlatformProcess({
        natsUrl: nats.url,
        internalToken,
        dataDir: dataDir.path,
        ...(env ? { env } : {}),
        ...(entry === undefined ? {} : { entry }),
        // The machine is shared: a slow start is no failure of a crash test.
        startTimeoutMs: 180_000,
      }),
    async adminKey() {
      const bootstrap = JSON.parse(await readFile(join(dataDir.path, "bootstrap.json"), "utf8")) as {
        api_key: string;
      };
      return bootstrap.api_key;
    },
    async close() {
      // A failed assertion must not leave a platform process behind.
      killLaunchedPlatforms();
      await nc.close();
      await nats.stop();
      await dataDir.remove();
    },
  };
}
