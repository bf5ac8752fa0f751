import { type ChildProcess, spawn } from "node:child_process";
import { access, constants, mkdir, readFile, rm } from "node:fs/promises";
import { createServer, connect as tcpConnect } from "node:net";
import { delimiter, join } from "node:path";

/** The embedded mode's private nats-server: a child process on loopback with its own store. */
export interface NatsChild {
  readonly url: string;
  readonly pid: number | undefined;
  /** Settles when the child exits for any reason; `expected` is true only after `stop()`. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; expected: boolean }>;
  /** SIGTERM, then SIGKILL after `graceMs`. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartNatsChildOptions {
  /** JetStream store directory (`<data dir>/nats`); kept across restarts. */
  readonly storeDir: string;
  /** A config file (the authorization block); the command line sets the rest. */
  readonly configFile?: string;
  /** Called with each line the server writes (its log goes to stderr). */
  readonly onLog?: (line: string) => void;
  readonly readyTimeoutMs?: number;
}

const SEARCH_DIRS = ["/usr/sbin", "/usr/local/bin", "/usr/local/sbin"];
const READY_LINE = "Server is ready";
const START_ATTEMPTS = 3;
const PID_FILE = "nats-server.pid";

export const NATS_SERVER_NOT_FOUND =
  "nats-server was not found on PATH, in /usr/sbin or in /usr/local/bin. Run `npm start` (it installs it " +
  "with apt-get), install it yourself (`apt-get install nats-server`), or set NATS_URL to a running " +
  "NATS server with JetStream.";

/** Finds an executable nats-server: NATS_SERVER_BIN, then PATH, then the usual system directories. */
export async function findNatsServer(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const dirs = [...(env.PATH ?? "").split(delimiter), ...SEARCH_DIRS].filter((d) => d.length > 0);
  const candidates = [env.NATS_SERVER_BIN, ...dirs.map((dir) => join(dir, "nats-server"))];
  for (const candidate of candidates) {
    if (candidate === undefined || candidate.length === 0) continue;
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next one
    }
  }
  return undefined;
}

/** A port that was free a moment ago; the OS picks it, so it never is the system's 4222. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: "127.0.0.1", port }, () => {
      socket.end();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

interface Launched {
  child: ChildProcess;
  exitedRaw: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns the server and resolves once it says it is ready and accepts TCP on `port`. */
function launch(binary: string, port: number, options: StartNatsChildOptions): Promise<Launched> {
  const pidFile = join(options.storeDir, PID_FILE);
  const args = ["-js", "-a", "127.0.0.1", "-p", String(port), "-sd", options.storeDir, "-P", pidFile];
  if (options.configFile !== undefined) args.push("-c", options.configFile);
  const timeoutMs = options.readyTimeoutMs ?? 15_000;
  return new Promise((resolve, reject) => {
    // Its own process group: a terminal's Ctrl-C reaches only the launcher, which stops the
    // services first and this server last (instead of NATS vanishing under draining services).
    const child = spawn(binary, args, { stdio: ["ignore", "ignore", "pipe"], detached: true });
    const exitedRaw = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
      child.once("exit", (code, signal) => done({ code, signal })),
    );
    let log = "";
    let settled = false;
    const settle = (error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error === undefined) {
        resolve({ child, exitedRaw });
        return;
      }
      child.kill("SIGKILL");
      reject(error);
    };
    const timer = setTimeout(
      () => settle(new Error(`nats-server was not ready within ${timeoutMs} ms:\n${log}`)),
      timeoutMs,
    );
    child.once("error", (e) => settle(e));
    child.once("exit", (code) => settle(new Error(`nats-server exited with code ${code} on start:\n${log}`)));
    child.stderr?.setEncoding("utf8");
    let pending = "";
    child.stderr?.on("data", (chunk: string) => {
      // The pipe is read for the whole life of the child, so a chatty server never blocks.
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) options.onLog?.(line);
      if (settled) return;
      log += chunk;
      if (!log.includes(READY_LINE)) return;
      void canConnect(port).then((up) =>
        settle(up ? undefined : new Error(`nats-server reported ready but port ${port} is closed`)),
      );
    });
  });
}

/**
 * Starts nats-server with JetStream on a free loopback port. If another process grabs the port
 * between our probe and the server's bind, the start fails and is retried with a new port.
 */
export async function startNatsChild(options: StartNatsChildOptions): Promise<NatsChild> {
  const binary = await findNatsServer();
  if (binary === undefined) throw new Error(NATS_SERVER_NOT_FOUND);
  await mkdir(options.storeDir, { recursive: true });
  await stopLeftoverServer(options.storeDir);

  let lastError: unknown;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    const port = await freePort();
    try {
      const launched = await launch(binary, port, options);
      return handleFor(launched, port);
    } catch (e) {
      lastError = e;
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

/**
 * A launcher killed with SIGKILL leaves its nats-server running (it has its own process group).
 * Two servers must never share a store, so the next start stops the one named in the pid file,
 * after checking that the pid really is a nats-server on this store (pids get reused).
 */
async function stopLeftoverServer(storeDir: string): Promise<void> {
  const pidFile = join(storeDir, PID_FILE);
  const pid = Number((await readFile(pidFile, "utf8").catch(() => "")).trim());
  if (!Number.isInteger(pid) || pid <= 0) return;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
  const args = cmdline.split("\0");
  if (args[0]?.endsWith("nats-server") && args.includes(storeDir)) {
    process.kill(pid, "SIGTERM");
    for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    if (isAlive(pid)) process.kill(pid, "SIGKILL");
  }
  await rm(pidFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function handleFor({ child, exitedRaw }: Launched, port: number): NatsChild {
  let stopping = false;
  // If the launcher dies without stop(), do not leave a server holding the store lock.
  const killOnExit = (): void => {
    child.kill("SIGKILL");
  };
  process.once("exit", killOnExit);
  const exited = exitedRaw.then((result) => {
    process.removeListener("exit", killOnExit);
    return { ...result, expected: stopping };
  });
  return {
    url: `nats://127.0.0.1:${port}`,
    pid: child.pid,
    exited,
    async stop(graceMs = 10_000) {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const killTimer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(killTimer);
    },
  };
}
