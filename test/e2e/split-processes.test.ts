import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { freePort, type NatsServerHandle, startNatsServer, type TempDir, tempDir } from "@strata/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApi, waitUntil } from "./harness.js";
import { killLaunchedPlatforms, launchPlatformProcess, type PlatformProcess } from "./platform-process.js";

/**
 * The distributed mode on one machine: the gateway in one process, auth and namespace in another
 * (as separate containers would run them, `STRATA_SERVICES` picking each one's services), talking
 * over gRPC with the internal token and over an external NATS.
 */
let nats: NatsServerHandle;
let servicesDir: TempDir;
let gatewayDir: TempDir;
let services: PlatformProcess;
let gateway: PlatformProcess;
let adminKey: string;

beforeAll(async () => {
  nats = await startNatsServer();
  servicesDir = await tempDir("strata-split-services-");
  gatewayDir = await tempDir("strata-split-gateway-");
  const internalToken = randomBytes(32).toString("hex");
  const [authPort, namespacePort, aclQueryPort, webhookPort, tierMigratorPort, manifestPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  services = await launchPlatformProcess({
    natsUrl: nats.url,
    internalToken,
    dataDir: servicesDir.path,
    env: {
      STRATA_SERVICES: "auth,namespace,acl-query,webhook-dispatcher,tier-migrator,manifest",
      AUTH_GRPC_PORT: String(authPort),
      NAMESPACE_GRPC_PORT: String(namespacePort),
      ACL_QUERY_GRPC_PORT: String(aclQueryPort),
      WEBHOOK_GRPC_PORT: String(webhookPort),
      TIER_MIGRATOR_GRPC_PORT: String(tierMigratorPort),
      MANIFEST_GRPC_PORT: String(manifestPort),
    },
  });
  gateway = await launchPlatformProcess({
    natsUrl: nats.url,
    internalToken,
    dataDir: gatewayDir.path,
    env: {
      STRATA_SERVICES: "gateway",
      AUTH_GRPC_URL: `127.0.0.1:${authPort}`,
      NAMESPACE_GRPC_URL: `127.0.0.1:${namespacePort}`,
      ACL_QUERY_GRPC_URL: `127.0.0.1:${aclQueryPort}`,
      WEBHOOK_GRPC_URL: `127.0.0.1:${webhookPort}`,
      TIER_MIGRATOR_GRPC_URL: `127.0.0.1:${tierMigratorPort}`,
      MANIFEST_GRPC_URL: `127.0.0.1:${manifestPort}`,
    },
  });
  const bootstrap = JSON.parse(await readFile(join(servicesDir.path, "bootstrap.json"), "utf8")) as {
    api_key: string;
  };
  adminKey = bootstrap.api_key;
}, 120_000);

afterAll(async () => {
  for (const running of [gateway, services]) {
    if (running === undefined) continue;
    running.child.kill("SIGTERM");
    await running.exited;
  }
  killLaunchedPlatforms();
  await nats?.stop();
  await servicesDir?.remove();
  await gatewayDir?.remove();
});

describe("gateway and services in separate processes", () => {
  it("serves the API across processes, and a revocation reaches the other process within 1 s", async () => {
    expect(services.url).toBe("");
    expect(gateway.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const namespace = await callApi<{ namespace_id: string }>(gateway.url, "POST", "/v1/namespaces", {
      key: adminKey,
      body: { namespace_name: "split" },
    });
    expect(namespace.status).toBe(201);
    const key = await callApi<{ key_id: string; api_key: string }>(gateway.url, "POST", "/v1/api-keys", {
      key: adminKey,
      body: { name: "split-reader", permissions: ["read"], namespaces: ["split"] },
    });
    expect(key.status).toBe(201);
    const whoami = await callApi(gateway.url, "GET", "/v1/whoami", {
      key: key.body.api_key,
      namespace: "split",
    });
    expect(whoami.status).toBe(200);
    expect(whoami.body).toMatchObject({ namespace: { namespace_id: namespace.body.namespace_id } });

    const ready = await callApi(gateway.url, "GET", "/readyz");
    expect(ready.status).toBe(200);

    expect(
      (await callApi(gateway.url, "DELETE", `/v1/api-keys/${key.body.key_id}`, { key: adminKey })).status,
    ).toBe(200);
    const elapsed = await waitUntil(
      async () => (await callApi(gateway.url, "GET", "/v1/whoami", { key: key.body.api_key })).status === 401,
      1000,
    );
    expect(elapsed).toBeLessThan(1000);
  }, 60_000);

  it("each process serves its own metrics and readiness, on all interfaces in the distributed mode", async () => {
    for (const running of [services, gateway])
      expect(running.metricsUrl).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
    const scrape = async (running: PlatformProcess) => (await fetch(`${running.metricsUrl}/metrics`)).text();
    const [servicesText, gatewayText] = [await scrape(services), await scrape(gateway)];
    expect(servicesText).toMatch(/^strata_grpc_server_calls_total\{service="namespace",[^}]*\} [1-9]/m);
    expect(servicesText).toMatch(/^strata_outbox_backlog_rows\{service="auth"\} \d+$/m);
    expect(servicesText).not.toContain("strata_http_requests_total{");
    expect(gatewayText).toMatch(/^strata_http_requests_total\{[^}]*\} [1-9]/m);
    expect(gatewayText).not.toContain("strata_grpc_server_calls_total{");
    const ready = await fetch(`${services.metricsUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: "ready",
      checks: { "auth.store": true, "namespace.store": true, "acl-query.nats": true },
    });
  });
});
