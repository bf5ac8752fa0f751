import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { freePort, type TempDir, tempDir } from "@strata/testkit";
import {
  killLaunchedPlatforms,
  launchPlatformProcess,
  type PlatformProcess,
} from "../e2e/platform-process.js";

/** A gateway process that can be crashed and started again on the same port. */
export interface GatewayProcess {
  readonly url: string;
  /** SIGKILL, then the same command again (same port, same data dir). */
  crashAndRestart(): Promise<void>;
}

export interface DistributedPlatform {
  readonly gateways: readonly GatewayProcess[];
  readonly adminKey: string;
  stop(): Promise<void>;
}

/**
 * The distributed mode as containers run it, on one machine: namespace, auth and acl-query each in
 * a process of its own, and `gatewayCount` gateways, all on `natsUrls` (a cluster: every node's URL)
 * with STRATA_EVENTS at `replicas`. There is no MongoDB here, so each service keeps its records in
 * SQLite under its own data dir: one namespace replica, as NAMESPACE_SINGLE_REPLICA describes.
 */
export async function startDistributedPlatform(
  natsUrls: string,
  options: { readonly gatewayCount: number; readonly replicas: number },
): Promise<DistributedPlatform> {
  const internalToken = randomBytes(32).toString("hex");
  const dirs: TempDir[] = [];
  const dataDir = async (name: string): Promise<string> => {
    const dir = await tempDir(`strata-cluster-${name}`);
    dirs.push(dir);
    return dir.path;
  };
  const launch = (name: string, dir: string, env: Record<string, string>): Promise<PlatformProcess> =>
    launchPlatformProcess({
      natsUrl: natsUrls,
      internalToken,
      dataDir: dir,
      env: { STRATA_SERVICES: name, NATS_STREAM_REPLICAS: String(options.replicas), ...env },
    });
  const running: PlatformProcess[] = [];
  const stop = async (): Promise<void> => {
    for (const process of running.reverse()) {
      process.child.kill("SIGTERM");
      await process.exited;
    }
    killLaunchedPlatforms();
    await Promise.all(dirs.map((dir) => dir.remove()));
  };
  try {
    const [namespacePort, authPort, aclQueryPort, webhookPort, tierMigratorPort, manifestPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const namespaceUrl = `127.0.0.1:${namespacePort}`;
    // Auth and acl-query ask the namespace service, so it starts first.
    const namespaceDir = await dataDir("namespace");
    running.push(await launch("namespace", namespaceDir, { NAMESPACE_GRPC_PORT: String(namespacePort) }));
    const [authDir, aclQueryDir, webhookDir, tierMigratorDir] = [
      await dataDir("auth"),
      await dataDir("acl-query"),
      await dataDir("webhook-dispatcher"),
      await dataDir("tier-migrator"),
    ];
    const started = await Promise.allSettled([
      launch("auth", authDir, { AUTH_GRPC_PORT: String(authPort), NAMESPACE_GRPC_URL: namespaceUrl }),
      launch("acl-query", aclQueryDir, {
        ACL_QUERY_GRPC_PORT: String(aclQueryPort),
        NAMESPACE_GRPC_URL: namespaceUrl,
      }),
      launch("webhook-dispatcher", webhookDir, {
        WEBHOOK_GRPC_PORT: String(webhookPort),
        NAMESPACE_GRPC_URL: namespaceUrl,
      }),
      launch("tier-migrator", tierMigratorDir, {
        TIER_MIGRATOR_GRPC_PORT: String(tierMigratorPort),
        NAMESPACE_GRPC_URL: namespaceUrl,
      }),
    ]);
    for (const outcome of started) if (outcome.status === "fulfilled") running.push(outcome.value);
    for (const outcome of started) if (outcome.status === "rejected") throw outcome.reason;
    // The manifest service calls namespace, acl-query, the webhook dispatcher and tier-migrator.
    running.push(
      await launch("manifest", await dataDir("manifest"), {
        MANIFEST_GRPC_PORT: String(manifestPort),
        NAMESPACE_GRPC_URL: namespaceUrl,
        ACL_QUERY_GRPC_URL: `127.0.0.1:${aclQueryPort}`,
        WEBHOOK_GRPC_URL: `127.0.0.1:${webhookPort}`,
        TIER_MIGRATOR_GRPC_URL: `127.0.0.1:${tierMigratorPort}`,
      }),
    );
    const bootstrap = JSON.parse(await readFile(join(authDir, "bootstrap.json"), "utf8")) as {
      api_key: string;
    };
    const gatewayEnv = {
      AUTH_GRPC_URL: `127.0.0.1:${authPort}`,
      NAMESPACE_GRPC_URL: namespaceUrl,
      ACL_QUERY_GRPC_URL: `127.0.0.1:${aclQueryPort}`,
      WEBHOOK_GRPC_URL: `127.0.0.1:${webhookPort}`,
      TIER_MIGRATOR_GRPC_URL: `127.0.0.1:${tierMigratorPort}`,
      MANIFEST_GRPC_URL: `127.0.0.1:${manifestPort}`,
    };
    const gateways = await Promise.all(
      Array.from({ length: options.gatewayCount }, async (): Promise<GatewayProcess> => {
        const [port, dir] = [await freePort(), await dataDir("gateway")];
        const env = { ...gatewayEnv, STRATA_HTTP_PORT: String(port) };
        let current = await launch("gateway", dir, env);
        running.push(current);
        return {
          url: current.url,
          async crashAndRestart() {
            current.child.kill("SIGKILL");
            await current.exited;
            current = await launch("gateway", dir, env);
            running.push(current);
          },
        };
      }),
    );
    return { gateways, adminKey: bootstrap.api_key, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
