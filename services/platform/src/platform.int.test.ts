import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Platform, startPlatform } from "./platform.js";

/** nats-server processes whose parent is this test process (read from /proc, Linux only). */
async function natsServerChildren(): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const text = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    // "<pid> (<comm>) <state> <ppid> …"; comm may contain spaces, so split after the last ')'.
    const close = text.lastIndexOf(")");
    const comm = text.slice(text.indexOf("(") + 1, close);
    const ppid = Number(text.slice(close + 2).split(" ")[1]);
    if (comm === "nats-server" && ppid === process.pid) pids.push(Number(entry));
  }
  return pids;
}

async function call(
  platform: Platform,
  method: string,
  path: string,
  key?: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = {};
  if (key !== undefined) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${platform.gatewayUrl}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text.length > 0 ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

describe("startPlatform, embedded mode (as npm start runs it)", () => {
  let dataDir = "";
  let env: Record<string, string> = {};
  let running: Platform | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "strata-platform-"));
    env = { STRATA_DATA_DIR: dataDir, STRATA_HTTP_PORT: "0", STRATA_METRICS_PORT: "0", LOG_LEVEL: "warn" };
  });
  afterAll(async () => {
    await running?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  let adminKey = "";
  let organizationId = "";
  let bootstrapText = "";

  it("starts every service, answers /healthz and bootstraps an organization with a 0600 key file", async () => {
    running = await startPlatform(env);
    expect(running.gatewayUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(running.services.map((s) => s.name)).toEqual([
      "namespace",
      "auth",
      "acl-query",
      "webhook-dispatcher",
      "tier-migrator",
      "manifest",
      "gateway",
    ]);
    expect((await call(running, "GET", "/healthz")).status).toBe(200);
    expect(await natsServerChildren()).toHaveLength(1);

    expect(running.bootstrappedNow).toBe(true);
    expect(running.bootstrapFile).toBe(join(dataDir, "bootstrap.json"));
    const file = join(dataDir, "bootstrap.json");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    bootstrapText = await readFile(file, "utf8");
    const credentials = JSON.parse(bootstrapText) as { organization_id: string; api_key: string };
    adminKey = credentials.api_key;
    organizationId = credentials.organization_id;

    const whoami = await call(running, "GET", "/v1/whoami", adminKey);
    expect(whoami.status).toBe(200);
    expect(whoami.body.organization_id).toBe(organizationId);
    expect((await call(running, "GET", "/v1/whoami", "sk_live_not_a_real_key")).status).toBe(401);

    const created = await call(running, "POST", "/v1/namespaces", adminKey, {
      namespace_name: "kept-across-restarts",
    });
    expect(created.status).toBe(201);
  });

  it("stop() stops everything, including the nats-server child", async () => {
    if (running === undefined) throw new Error("the first test did not start the platform");
    await running.stop();
    running = undefined;
    expect(await natsServerChildren()).toEqual([]);
  });

  it("a second start on the same data dir keeps the data and creates no second organization", async () => {
    running = await startPlatform(env);
    expect(running.bootstrappedNow).toBe(false);
    expect(running.bootstrapFile).toBe(join(dataDir, "bootstrap.json"));
    expect(await readFile(join(dataDir, "bootstrap.json"), "utf8")).toBe(bootstrapText);

    const whoami = await call(running, "GET", "/v1/whoami", adminKey);
    expect(whoami.status).toBe(200);
    expect(whoami.body.organization_id).toBe(organizationId);

    const list = await call(running, "GET", "/v1/namespaces", adminKey);
    expect(list.status).toBe(200);
    const names = (list.body.data as Array<{ namespace_name: string }>).map((n) => n.namespace_name);
    expect(names).toEqual(["kept-across-restarts"]);

    await running.stop();
    running = undefined;
    expect(await natsServerChildren()).toEqual([]);
  });
});
