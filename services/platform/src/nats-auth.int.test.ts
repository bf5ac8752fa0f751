import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EVENTS_STREAM } from "@strata/events";
import { connect, type NatsConnection } from "nats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NATS_CONFIG_FILE, NATS_CREDENTIALS_FILE } from "./nats-credentials.js";
import { type Platform, startPlatform } from "./platform.js";

// Issue 8, finding 3: nothing but the platform's own services may connect to the embedded NATS,
// and no service may publish another's events (a forged namespace.deleted purged a namespace).

interface StoredCredentials {
  readonly [service: string]: { readonly user: string; readonly password: string };
}

function connectOnce(url: string, auth: { user?: string; pass?: string } = {}): Promise<NatsConnection> {
  return connect({ servers: url, reconnect: false, maxReconnectAttempts: 0, timeout: 5_000, ...auth });
}

async function api(platform: Platform, method: string, path: string, key: string, body?: unknown) {
  const response = await fetch(`${platform.gatewayUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("the embedded NATS requires the services' credentials", () => {
  let dir = "";
  let env: Record<string, string>;
  let platform: Platform | undefined;
  let adminKey = "";
  let namespaceId = "";
  let credentials: StoredCredentials = {};

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "strata-nats-auth-"));
    env = { STRATA_DATA_DIR: dir, STRATA_HTTP_PORT: "0", STRATA_METRICS_PORT: "0", LOG_LEVEL: "silent" };
    platform = await startPlatform(env);
    adminKey = (JSON.parse(await readFile(join(dir, "bootstrap.json"), "utf8")) as { api_key: string })
      .api_key;
    credentials = JSON.parse(await readFile(join(dir, NATS_CREDENTIALS_FILE), "utf8")) as StoredCredentials;
  });
  afterAll(async () => {
    await platform?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps a user per service in a 0600 file, and the server's config 0600 too", async () => {
    expect(Object.keys(credentials).sort()).toEqual([
      "acl-query",
      "auth",
      "gateway",
      "manifest",
      "namespace",
      "tier-migrator",
      "webhook-dispatcher",
    ]);
    const passwords = new Set(Object.values(credentials).map((c) => c.password));
    expect(passwords.size).toBe(7);
    for (const file of [NATS_CREDENTIALS_FILE, NATS_CONFIG_FILE]) {
      expect((await stat(join(dir, file))).mode & 0o777, file).toBe(0o600);
    }
  });

  it("works with them: a namespace is created and its event published", async () => {
    if (platform === undefined) throw new Error("the platform did not start");
    const created = await api(platform, "POST", "/v1/namespaces", adminKey, { namespace_name: "guarded" });
    expect(created.status).toBe(201);
    namespaceId = String(created.body.namespace_id);
  });

  it("refuses an anonymous connection and a wrong password", async () => {
    if (platform === undefined) throw new Error("the platform did not start");
    await expect(connectOnce(platform.natsUrl)).rejects.toThrow(/authorization/i);
    await expect(
      connectOnce(platform.natsUrl, { user: "strata-namespace", pass: "not-the-password" }),
    ).rejects.toThrow(/authorization/i);
  });

  it("refuses a forged namespace.deleted from any service but namespace, and the namespace lives", async () => {
    if (platform === undefined) throw new Error("the platform did not start");
    const subject = `strata.evt.${namespaceId}.namespace.deleted`;
    for (const service of [
      "gateway",
      "auth",
      "acl-query",
      "webhook-dispatcher",
      "tier-migrator",
      "manifest",
    ]) {
      const own = credentials[service];
      if (own === undefined) throw new Error(`no credentials for ${service}`);
      const nc = await connectOnce(platform.natsUrl, { user: own.user, pass: own.password });
      try {
        const forged = JSON.stringify({
          specversion: "1.0",
          type: "namespace.deleted",
          namespaceid: namespaceId,
        });
        await expect(
          nc.jetstream().publish(subject, new TextEncoder().encode(forged), { timeout: 2_000 }),
        ).rejects.toThrow();
        // Nothing reached the stream under that subject.
        const jsm = await nc.jetstreamManager();
        await expect(jsm.streams.getMessage(EVENTS_STREAM, { last_by_subj: subject })).rejects.toThrow(
          /no message found/i,
        );
      } finally {
        await nc.close();
      }
    }
    const still = await api(platform, "GET", `/v1/namespaces/${namespaceId}`, adminKey);
    expect(still.status).toBe(200);
  });

  it("a restart on the same data dir reuses the credentials", async () => {
    await platform?.stop();
    platform = await startPlatform(env);
    const again = JSON.parse(await readFile(join(dir, NATS_CREDENTIALS_FILE), "utf8")) as StoredCredentials;
    expect(again).toEqual(credentials);
    const listed = await api(platform, "GET", `/v1/namespaces/${namespaceId}`, adminKey);
    expect(listed.status).toBe(200);
    await expect(connectOnce(platform.natsUrl)).rejects.toThrow(/authorization/i);
  });
});
