import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadNamespaceConfig } from "@strata/namespace";
import {
  distributedNatsAuthorization,
  findNatsServer,
  natsPasswordVariableOf,
  natsUserOf,
  SERVICE_NAMES,
} from "@strata/platform";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { COMPOSE_ENV } from "./compose-env.js";

// Issue 8, findings 3 and 10: in the distributed mode NATS requires a user per service, and every
// stateful setting points at a shared service (no replica keeps data on its own disk).

const ROOT = join(import.meta.dirname, "..", "..");
const CONF = join(ROOT, "deploy", "nats", "authorization.conf");
const ENV = COMPOSE_ENV;

interface ComposeService {
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string | null>;
  volumes?: Array<string | { source?: string; target?: string }>;
  depends_on?: Record<string, { condition?: string }>;
}

function compose(env: Record<string, string>): { status: number | null; output: string } {
  const result = spawnSync("docker-compose", ["-f", "docker-compose.yml", "config"], {
    cwd: ROOT,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env },
  });
  if (result.error) throw new Error(`docker-compose could not run: ${result.error.message}`);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** The compose file as Docker would run it, variables substituted. */
function resolvedCompose(): Record<string, ComposeService> {
  const { status, output } = compose(ENV);
  expect(status, output).toBe(0);
  return (parse(output) as { services: Record<string, ComposeService> }).services;
}

/** Host names of a URL list (`nats://a:4222,nats://b:4222`, `mongodb://m1:27017,m2/?…`). */
function hostsOf(value: string): string[] {
  return value
    .split(",")
    .map(
      (part) =>
        part
          .replace(/^[a-z+]+:\/\//, "")
          .split(/[/?]/)[0]
          ?.split(":")[0] ?? "",
    )
    .filter((host) => host.length > 0);
}

const STATEFUL = /(_STORE_URL|_HOT_INDEX_URL|^STRATA_S3_ENDPOINT|^NATS_URL)$/;

describe("docker-compose.yml: NATS authentication and shared state", () => {
  const services = resolvedCompose();
  const natsNodes = Object.keys(services).filter((name) => /^nats-\d$/.test(name));

  it("starts every NATS node with the generated authorization block and the services' passwords", () => {
    expect(readFileSync(CONF, "utf8")).toContain(distributedNatsAuthorization());
    expect(readFileSync(CONF, "utf8")).not.toMatch(/no_auth_user/);
    expect(natsNodes).toHaveLength(3);
    for (const name of natsNodes) {
      const node = services[name] ?? {};
      const command = node.command ?? [];
      expect(command.slice(command.indexOf("-c"), command.indexOf("-c") + 2), name).toEqual([
        "-c",
        "/etc/nats/authorization.conf",
      ]);
      const mounted = (node.volumes ?? []).map((v) =>
        typeof v === "string" ? v : `${v.source}:${v.target}`,
      );
      expect(
        mounted.some((v) => v.includes(`${CONF}:/etc/nats/authorization.conf`)),
        name,
      ).toBe(true);
      for (const service of SERVICE_NAMES) {
        const variable = natsPasswordVariableOf(service);
        expect(node.environment?.[variable], `${name} ${variable}`).toBe(ENV[variable]);
      }
    }
  });

  it("gives every service its own NATS user and password", () => {
    for (const service of SERVICE_NAMES) {
      const env = services[service]?.environment ?? {};
      expect(env.NATS_USER, service).toBe(natsUserOf(service));
      expect(env.NATS_PASSWORD, service).toBe(ENV[natsPasswordVariableOf(service)]);
    }
  });

  it("refuses to start without the NATS passwords or the S3 keys", () => {
    for (const missing of [natsPasswordVariableOf("gateway"), "STRATA_S3_SECRET_ACCESS_KEY"]) {
      const { [missing]: _left, ...rest } = ENV;
      const { status, output } = compose(rest);
      expect(status, missing).not.toBe(0);
      expect(output).toContain(missing);
    }
  });

  it("points every stateful setting of every service at a shared service in the file", () => {
    const names = new Set(Object.keys(services));
    let checked = 0;
    for (const service of SERVICE_NAMES) {
      for (const [variable, value] of Object.entries(services[service]?.environment ?? {})) {
        if (!STATEFUL.test(variable)) continue;
        checked += 1;
        expect(value, `${service} ${variable}`).not.toMatch(/^sqlite:/);
        for (const host of hostsOf(String(value))) expect(names, `${service} ${variable}`).toContain(host);
      }
      expect(services[service]?.environment?.NAMESPACE_SINGLE_REPLICA, service).toBeUndefined();
    }
    // NATS_URL ×7, six MongoDB stores, Qdrant and MinIO.
    expect(checked).toBe(15);
  });

  it("keeps object bytes in MinIO, in a bucket created before the namespace service starts", () => {
    const namespace = services.namespace ?? {};
    const env = namespace.environment ?? {};
    const bucket = String(env.STRATA_S3_BUCKET);
    expect(bucket).toMatch(/^[a-z0-9-]{3,}$/);
    expect(env.STRATA_S3_FORCE_PATH_STYLE).toBe("true");
    expect(hostsOf(String(env.STRATA_S3_ENDPOINT))).toEqual(["minio"]);
    expect(namespace.depends_on?.["minio-init"]?.condition).toBe("service_completed_successfully");
    expect((services["minio-init"]?.entrypoint ?? []).join(" ")).toContain(
      `mc mb --ignore-existing strata/${bucket}`,
    );
    // The service's own validation accepts it: nothing on the replica's disk.
    const config = loadNamespaceConfig(
      Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v ?? undefined])) as Record<string, string>,
    );
    expect(config.STRATA_S3_BUCKET).toBe(bucket);
  });

  it("has an authorization block nats-server accepts, with the passwords from the environment", async () => {
    const binary = await findNatsServer();
    if (binary === undefined) throw new Error("nats-server is required (npm test installs it)");
    const ok = spawnSync(binary, ["-t", "-c", CONF], { encoding: "utf8", env: ENV });
    expect(`${ok.stdout}${ok.stderr}`).toMatch(/is valid/);
    expect(ok.status).toBe(0);
    const without = spawnSync(binary, ["-t", "-c", CONF], { encoding: "utf8", env: {} });
    expect(without.status).not.toBe(0);
  });
});

interface K8sEnv {
  name?: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name?: string; key?: string } };
}
interface K8sObject {
  kind?: string;
  metadata?: { name?: string };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: { template?: { spec?: { containers?: Array<{ name?: string; env?: K8sEnv[] }> } } };
}

function manifests(): K8sObject[] {
  const dir = join(ROOT, "deploy");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), "utf8")).map((d) => d.toJS() as K8sObject));
}

describe("deploy/: NATS authentication and shared state", () => {
  const objects = manifests();
  const byKind = (kind: string, name: string) =>
    objects.find((o) => o.kind === kind && o.metadata?.name === name);
  const config = byKind("ConfigMap", "strata-config")?.data ?? {};

  it("ships the same authorization block as compose, and a password per service in a Secret", () => {
    expect(byKind("ConfigMap", "strata-nats-authorization")?.data?.["authorization.conf"]).toBe(
      distributedNatsAuthorization(),
    );
    const secret = byKind("Secret", "strata-nats-credentials")?.stringData ?? {};
    expect(Object.keys(secret).sort()).toEqual([...SERVICE_NAMES].sort());
  });

  it("connects every service as its own NATS user with its password from the Secret", () => {
    for (const service of SERVICE_NAMES) {
      const container = byKind("Deployment", `strata-${service}`)?.spec?.template?.spec?.containers?.[0];
      const env = container?.env ?? [];
      expect(env.find((e) => e.name === "NATS_USER")?.value, service).toBe(natsUserOf(service));
      expect(env.find((e) => e.name === "NATS_PASSWORD")?.valueFrom?.secretKeyRef, service).toEqual({
        name: "strata-nats-credentials",
        key: service,
      });
    }
  });

  it("gives the namespace service an S3 bucket and keys, so its replicas share object bytes", () => {
    expect(config.STRATA_S3_BUCKET).toBeTruthy();
    for (const [variable, value] of Object.entries(config)) {
      if (variable.endsWith("_STORE_URL")) expect(value, variable).toMatch(/^mongodb:\/\//);
    }
    expect(config.NAMESPACE_HOT_INDEX_URL).toMatch(/^https?:\/\//);
    const env = byKind("Deployment", "strata-namespace")?.spec?.template?.spec?.containers?.[0]?.env ?? [];
    const fromSecret = (name: string) => env.find((e) => e.name === name)?.valueFrom?.secretKeyRef?.name;
    expect(fromSecret("STRATA_S3_ACCESS_KEY_ID")).toBe("strata-s3-credentials");
    expect(fromSecret("STRATA_S3_SECRET_ACCESS_KEY")).toBe("strata-s3-credentials");
    expect(byKind("Secret", "strata-s3-credentials")).toBeDefined();
    // What the namespace pods get passes the service's own validation.
    const loaded = loadNamespaceConfig({
      ...config,
      STRATA_INTERNAL_TOKEN: "t".repeat(32),
      STRATA_S3_ACCESS_KEY_ID: "id",
      STRATA_S3_SECRET_ACCESS_KEY: "secret",
    });
    expect(loaded.STRATA_S3_BUCKET).toBe(config.STRATA_S3_BUCKET);
  });
});
