import { isAbsolute, relative } from "node:path";
import { type Platform, type StartPlatformOptions, startPlatform } from "./platform.js";

/** What a launcher entry other than main.ts may add to the start (a test entry's hooks). */
export type LauncherOptions = Pick<StartPlatformOptions, "beforeCloneCommit">;

// Past this a stop is stuck (a peer that never answers a drain); exiting beats hanging forever.
const STOP_TIMEOUT_MS = 30_000;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Relative to the current directory when inside it (`.strata/bootstrap.json`), else absolute. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}

function announce(platform: Platform): void {
  const { config } = platform;
  const mode = config.nats.mode === "embedded" ? "embedded" : "distributed";
  say(`Strata is running (${mode} mode: ${config.services.join(", ")}; data in ${config.dataDir})`);
  if (platform.gatewayUrl !== undefined) {
    say(`  REST API:  ${platform.gatewayUrl}   (docs: ${platform.gatewayUrl}/docs)`);
  }
  say(`  Metrics:   ${platform.metricsUrl}/metrics   (readiness: ${platform.metricsUrl}/readyz)`);
  if (platform.bootstrapFile !== undefined) {
    const shown = displayPath(platform.bootstrapFile);
    say(
      platform.bootstrappedNow
        ? `  First start: an organization and its admin API key were created. The key is in ${shown} (mode 0600).`
        : `  The first admin API key is in ${shown}.`,
    );
  }
  say("  Ctrl-C (SIGINT) or SIGTERM stops it; the data stays for the next start.");
}

async function stopAndExit(platform: Platform, code: number): Promise<never> {
  const timer = setTimeout(() => {
    process.stderr.write(`stop did not finish within ${STOP_TIMEOUT_MS / 1000} s; exiting anyway\n`);
    process.exit(1);
  }, STOP_TIMEOUT_MS);
  timer.unref();
  await platform.stop();
  process.exit(code);
}

/**
 * Starts the platform as a process: announces where it listens, stops on SIGINT/SIGTERM or when
 * something it cannot live without dies, and exits with the code that says which.
 */
export async function runLauncher(options: LauncherOptions = {}): Promise<void> {
  let platform: Platform | undefined;
  let exitCode: number | undefined;
  const requestStop = (code: number): void => {
    if (exitCode !== undefined) return;
    exitCode = code;
    // A stop asked for during start waits for the start to finish, then stops what it started.
    if (platform !== undefined) void stopAndExit(platform, code);
  };
  // Installed before anything starts, so a signal during start still stops the nats-server child.
  const onSignal = (signal: NodeJS.Signals): void => {
    // A terminal's Ctrl-C reaches both npm and us, so the same signal often arrives twice.
    if (exitCode !== undefined) return;
    say(`${signal}: stopping (gateway first, then the services, then NATS)`);
    requestStop(0);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  try {
    platform = await startPlatform(process.env, {
      ...options,
      onFatal: (error) => {
        process.stderr.write(`fatal: ${error.message}\n`);
        requestStop(1);
      },
    });
  } catch (e) {
    process.stderr.write(`Strata could not start: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
  if (exitCode !== undefined) return void stopAndExit(platform, exitCode);
  announce(platform);
}
