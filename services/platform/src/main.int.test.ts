import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { launchMain, waitForOutput } from "./test-support/process-output.js";

/** nats-server processes whose store is under `dir` (from /proc/<pid>/cmdline, Linux only). */
async function natsServersUsing(dir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const args = (await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "")).split("\0");
    if (args[0]?.endsWith("nats-server") && args.some((a) => a.startsWith(dir))) pids.push(Number(entry));
  }
  return pids;
}

describe("main.ts as a process (what npm start runs)", () => {
  let dataDir = "";
  afterAll(async () => {
    if (dataDir !== "") await rm(dataDir, { recursive: true, force: true });
  });

  it("prints the gateway URL and the key file's place, and exits 0 after SIGTERM with nats-server gone", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "strata-main-"));
    const child = launchMain(dataDir);
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const out = await waitForOutput(child, /Ctrl-C/, 60_000);
    expect(out).toMatch(/REST API: {2}http:\/\/127\.0\.0\.1:\d+/);
    // Embedded: the metrics listener is on loopback only.
    expect(out).toMatch(/Metrics: {3}http:\/\/127\.0\.0\.1:\d+\/metrics/);
    expect(out).toContain(`${join(dataDir, "bootstrap.json")}`);
    expect(out).not.toMatch(/sk_live_/);

    expect(await natsServersUsing(dataDir)).toHaveLength(1);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(await natsServersUsing(dataDir)).toEqual([]);
  }, 90_000);
});
