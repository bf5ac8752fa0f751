import { type ChildProcess, spawn } from "node:child_process";
import { access, constants } from "node:fs/promises";
import { connect as tcpConnect } from "node:net";
import { delimiter, join } from "node:path";
import { tempDir } from "./temp-dir.js";

export interface NatsServerOptions {
  /** JetStream on (the default) or off. */
  readonly jetstream?: boolean;
}

export interface NatsServerHandle {
  readonly url: string;
  readonly port: number;
  /** The JetStream store directory; removed by `stop()`. */
  readonly dataDir: string;
  /** Kills the server and removes its data directory. Safe to call twice. */
  stop(): Promise<void>;
  /**
   * Kills the server and starts it again on the same port and store, keeping its streams: lets a
   * test exercise client reconnects.
   */
  restart(): Promise<void>;
  /** Kills the server without removing its store (a crash); `restart()` brings it back. */
  kill(): Promise<void>;
}

const NOT_FOUND_MESSAGE =
  "nats-server not found: run `npm test` (it installs it) or `apt-get install nats-server`";
const READY_TIMEOUT_MS = 10_000;
const LISTEN_LINE = /Listening for client connections on [^\s]*:(\d+)/;

// nats-server runs under a small sh watchdog that holds a pipe from this process: when the pipe
// closes (stop(), or the test worker dying without calling it, even by SIGKILL) the watchdog
// terminates the server, so crashed test runs leave no servers behind on a shared machine.
const WATCHDOG = 'exec 3<&0; "$0" "$@" & pid=$!; (read _ <&3; kill "$pid" 2>/dev/null) & wait "$pid"';

async function findBinary(): Promise<string> {
  const candidates = [
    process.env.NATS_SERVER_BIN,
    "/usr/sbin/nats-server",
    ...(process.env.PATH ?? "").split(delimiter).map((dir) => join(dir, "nats-server")),
  ].filter((p): p is string => typeof p === "string" && p.length > 0);
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next one
    }
  }
  throw new Error(NOT_FOUND_MESSAGE);
}

/** Spawns nats-server and resolves with its client port once it accepts TCP connections. */
function launch(
  binary: string,
  args: readonly string[],
): Promise<{ child: ChildProcess; port: number; exited: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", WATCHDOG, binary, ...args], {
      stdio: ["pipe", "ignore", "pipe"],
      // Its own process group, so the SIGKILL fallback reaches the server as well as the watchdog.
      detached: true,
    });
    const exited = new Promise<void>((done) => child.once("exit", () => done()));
    let log = "";
    let settled = false;
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      killGroup(child);
      reject(error);
    };
    const timer = setTimeout(
      () => fail(new Error(`nats-server did not start within ${READY_TIMEOUT_MS} ms:\n${log}`)),
      READY_TIMEOUT_MS,
    );
    child.once("error", (e) => fail(e));
    child.once("exit", (code) => fail(new Error(`nats-server exited with code ${code}:\n${log}`)));
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
      if (settled) return;
      log += chunk;
      const match = LISTEN_LINE.exec(log);
      if (match?.[1] === undefined || !log.includes("Server is ready")) return;
      const port = Number(match[1]);
      waitForTcp(port).then(
        () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          // Keep draining stderr so a chatty server never blocks on a full pipe.
          child.stderr?.resume();
          resolve({ child, port, exited });
        },
        (e: unknown) => fail(e instanceof Error ? e : new Error(String(e))),
      );
    });
  });
}

function waitForTcp(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host: "127.0.0.1", port }, () => {
      socket.end();
      resolve();
    });
    socket.once("error", reject);
  });
}

async function terminate(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.stdin?.end(); // the watchdog's cue to stop the server gracefully
  const killTimer = setTimeout(() => killGroup(child), 5_000);
  await exited;
  clearTimeout(killTimer);
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/**
 * Starts a private nats-server (loopback only, random port, own store dir) for a test. Never the
 * system server on 4222.
 */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServerHandle> {
  const binary = await findBinary();
  const dir = await tempDir("strata-nats");
  const jetstream = options.jetstream ?? true;
  const argsFor = (port: number): string[] => [
    "-a",
    "127.0.0.1",
    "-p",
    String(port),
    ...(jetstream ? ["-js", "-sd", dir.path] : []),
  ];
  let current: { child: ChildProcess; exited: Promise<void> } | undefined;
  let started: Awaited<ReturnType<typeof launch>>;
  try {
    started = await launch(binary, argsFor(-1));
  } catch (e) {
    await dir.remove();
    throw e;
  }
  current = started;
  const port = started.port;
  const kill = async (): Promise<void> => {
    if (current === undefined) return;
    const { child, exited } = current;
    current = undefined;
    await terminate(child, exited);
  };
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    dataDir: dir.path,
    kill,
    async restart() {
      await kill();
      current = await launch(binary, argsFor(port));
    },
    async stop() {
      await kill();
      await dir.remove();
    },
  };
}
