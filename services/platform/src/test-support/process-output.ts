// Test support: reading what a launched platform process prints.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

/** Resolves with the stdout so far once `pattern` shows up in it. */
export function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(
      () => reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${out}`)),
      timeoutMs,
    );
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => {
      out += chunk;
      if (pattern.test(out)) {
        clearTimeout(timer);
        resolve(out);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ${pattern}:\n${out}`));
    });
  });
}

const ROOT = join(import.meta.dirname, "..", "..", "..", "..");

/**
 * Starts `main.ts` as `npm start` does, on `dataDir` and a free HTTP port, under the umask given
 * (the shell sets it; 022 is the usual default that makes 0644 files).
 */
export function launchMain(dataDir: string, umask = "022"): ChildProcess {
  return spawn(
    "/bin/sh",
    ["-c", `umask ${umask}; exec "$0" --import tsx services/platform/src/main.ts`, process.execPath],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        STRATA_DATA_DIR: dataDir,
        STRATA_HTTP_PORT: "0",
        STRATA_METRICS_PORT: "0",
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
}
