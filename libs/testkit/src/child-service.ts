// Starts a service's test entry (a TypeScript file run with tsx) as a child process and waits for
// its "ready <gRPC address>" line: for the tests that SIGKILL a service or run several replicas.
import { type ChildProcess, spawn } from "node:child_process";

export interface ChildService {
  readonly child: ChildProcess;
  readonly grpcAddress: string;
  readonly exited: Promise<void>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * `entry` runs with only PATH and `env` in its environment, from `cwd` (the package's root).
 * STRATA_CHILD_NODE_ARGS (e.g. "--cpu-prof") adds node flags, to profile a child the way a test runs it.
 */
export async function launchChildService(
  entry: string,
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<ChildService> {
  const nodeArgs = (process.env.STRATA_CHILD_NODE_ARGS ?? "").split(" ").filter((a) => a !== "");
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", entry], {
    cwd,
    env: { PATH: process.env.PATH, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let errors = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    errors = `${errors}${chunk.toString("utf8")}`.slice(-4000);
  });
  const grpcAddress = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      const match = /ready (\S+)\n/.exec(out);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    void exited.then(() => reject(new Error(`${entry} exited before it was ready: ${errors}`)));
  });
  return {
    child,
    grpcAddress,
    exited,
    async kill(signal) {
      child.kill(signal);
      await exited;
    },
  };
}
