import type { ChildProcess } from "node:child_process";
import { chmod, lstat, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { launchMain, waitForOutput } from "./test-support/process-output.js";

// Issue 8, finding 8: a data dir that already exists at 0755 (and a umask of 022) must not leave
// the stores readable by other users.

/** Every path under `dir` whose mode is not 0700 (directories) or 0600 (files). */
async function looseModes(dir: string): Promise<string[]> {
  const loose: string[] = [];
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    const info = await lstat(path);
    const mode = info.mode & 0o777;
    if (info.isDirectory()) {
      if (mode !== 0o700) loose.push(`${path} ${mode.toString(8)}`);
      loose.push(...(await looseModes(path)));
    } else if (mode !== 0o600) {
      loose.push(`${path} ${mode.toString(8)}`);
    }
  }
  return loose;
}

async function api(url: string, key: string, method: string, path: string, body?: unknown, type?: string) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      "x-namespace": "modes",
      "content-type": type ?? "application/json",
    },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  await response.arrayBuffer();
  return response.status;
}

describe("a pre-existing 0755 data dir", () => {
  let dataDir = "";
  let child: ChildProcess | undefined;
  afterAll(async () => {
    if (child?.exitCode === null) child.kill("SIGKILL");
    if (dataDir !== "") await rm(dataDir, { recursive: true, force: true });
  });

  it("is tightened with a warning, and every file the platform writes is 0600, every directory 0700", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "strata-modes-"));
    await chmod(dataDir, 0o755);
    // The launcher as npm start runs it, under the usual umask that makes 0644 files.
    child = launchMain(dataDir);
    const launched = child;
    const exited = new Promise<number | null>((resolve) => launched.once("exit", (code) => resolve(code)));
    const out = await waitForOutput(launched, /Ctrl-C/, 60_000);
    expect(out).toMatch(/group- or world-accessible \(mode 0755\); it is now 0700/);
    const url = /REST API: {2}(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1] ?? "";
    const key = (JSON.parse(await readFile(join(dataDir, "bootstrap.json"), "utf8")) as { api_key: string })
      .api_key;

    // Something in every store: namespace records, an object, a document with a vector.
    expect(await api(url, key, "POST", "/v1/namespaces", { namespace_name: "modes" })).toBe(201);
    expect(await api(url, key, "POST", "/v1/buckets", { bucket_name: "files" })).toBe(201);
    expect(
      await api(url, key, "PUT", "/v1/buckets/files/objects/a/b.txt", "secret bytes", "text/plain"),
    ).toBe(200);
    const feature = "strata://text@v1/embedding";
    expect(
      await api(url, key, "POST", "/v1/collections", {
        collection_name: "docs",
        features: [{ feature_uri: feature, dimensions: 3 }],
      }),
    ).toBe(201);
    expect(
      await api(url, key, "POST", "/v1/collections/docs/documents", {
        document_id: "d1",
        features: { [feature]: [0.1, 0.2, 0.3] },
      }),
    ).toBe(201);
    // The hot index writes the vector when it hears document.created.
    for (let i = 0; i < 100; i++) {
      const names = await readdir(join(dataDir, "namespace-hot-index"), { recursive: true }).catch(() => []);
      if (names.some((n) => String(n).endsWith("vectors.log"))) break;
      await new Promise((r) => setTimeout(r, 100));
    }

    launched.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
    const names = await readdir(dataDir, { recursive: true });
    for (const expected of ["auth.db", "namespace.db", "nats", "nats-credentials.json", "bootstrap.json"]) {
      expect(names).toContain(expected);
    }
    expect(names.some((n) => String(n).endsWith("vectors.log"))).toBe(true);
    expect(names.some((n) => String(n).startsWith(join("namespace", "objects")))).toBe(true);
    expect(await looseModes(dataDir)).toEqual([]);
  }, 90_000);
});
