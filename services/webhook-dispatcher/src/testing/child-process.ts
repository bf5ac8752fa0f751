// Starts testing/dispatcher-child.ts as a child process and waits for its "ready" line.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import type { Env } from "@strata/config";

export interface DispatcherProcess {
  readonly child: ChildProcess;
  readonly grpcAddress: string;
  readonly exited: Promise<void>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

const ENTRY = join(import.meta.dirname, "dispatcher-child.ts");

export async function launchDispatcher(env: Env): Promise<DispatcherProcess> {
  // DISPATCHER_NODE_ARGS (e.g. "--cpu-prof") profiles the child the way the bench runs it.
  const extra = (process.env.DISPATCHER_NODE_ARGS ?? "").split(" ").filter((a) => a !== "");
  const child = spawn(process.execPath, [...extra, "--import", "tsx", ENTRY], {
    cwd: join(import.meta.dirname, "../.."),
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
    void exited.then(() => reject(new Error(`the dispatcher exited before it was ready: ${errors}`)));
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
