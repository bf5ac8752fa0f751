import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPlatform, type TestPlatform } from "./harness.js";

/** `npm run demo` against a platform started on embedded defaults, as the README tells a newcomer. */
let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => {
  await platform?.stop();
});

function runDemo(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/demo/demo.ts"], {
    cwd: join(import.meta.dirname, "../.."),
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  child.stderr.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, output })));
}

describe("npm run demo", () => {
  it("ingests a batch of text documents and finds them by text, filter and example", async () => {
    const { code, output } = await runDemo({ STRATA_URL: platform.url, STRATA_DATA_DIR: platform.dataDir });
    expect(code, output).toBe(0);
    expect(output).toContain("completed: 300/300 written, 0 failed");
    // The best hit of "a comet near the planet" is an astronomy note, found through the text feature.
    const afterQuery = output.split('"a comet near the planet"')[1] ?? "";
    expect(afterQuery.split("\n")[1]).toMatch(/\[astronomy, hot\]/);
    const filtered = output.split("where metadata.topic = cooking")[1]?.split("==")[0] ?? "";
    expect(filtered.match(/\[cooking, hot\]/g)).toHaveLength(3);
  }, 60_000);

  it("says what is wrong when no platform answers", async () => {
    const { code, output } = await runDemo({ STRATA_URL: "http://127.0.0.1:9", STRATA_API_KEY: "sk_live_x" });
    expect(code).toBe(1);
    expect(output).toContain("cannot reach http://127.0.0.1:9");
  }, 30_000);
});
