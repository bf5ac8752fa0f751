import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { COMPOSE_ENV } from "./compose-env.js";

const ROOT = join(import.meta.dirname, "..", "..");

/** Debian's docker-compose 1.29 validates a file without a Docker engine (`npm test` installs it). */
function composeConfig(dir: string, env: Record<string, string>): { status: number | null; output: string } {
  const result = spawnSync("docker-compose", ["-f", "docker-compose.yml", "config", "-q"], {
    cwd: dir,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env },
  });
  if (result.error)
    throw new Error(`docker-compose could not run (npm test installs it): ${result.error.message}`);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("docker-compose.yml", () => {
  const scratch = mkdtempSync(join(tmpdir(), "strata-compose-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("is a valid compose file", () => {
    const { status, output } = composeConfig(ROOT, COMPOSE_ENV);
    expect(output).toBe("");
    expect(status).toBe(0);
  });

  it("refuses to start without STRATA_INTERNAL_TOKEN", () => {
    const { STRATA_INTERNAL_TOKEN: _token, ...rest } = COMPOSE_ENV;
    const { status, output } = composeConfig(ROOT, rest);
    expect(status).not.toBe(0);
    expect(output).toContain("STRATA_INTERNAL_TOKEN");
  });

  it("is rejected when broken (the validator does catch mistakes)", () => {
    const text = readFileSync(join(ROOT, "docker-compose.yml"), "utf8");
    const broken = text.replace("  gateway:\n", "  gateway:\n    no_such_option: true\n");
    expect(broken).not.toBe(text);
    writeFileSync(join(scratch, "docker-compose.yml"), broken);
    copyFileSync(join(ROOT, "Dockerfile"), join(scratch, "Dockerfile"));
    const { status, output } = composeConfig(scratch, COMPOSE_ENV);
    expect(status).not.toBe(0);
    expect(output).toContain("no_such_option");
  });
});

interface K8sObject {
  kind?: string;
  metadata?: { name?: string };
  spec?: {
    template?: {
      spec?: {
        containers?: Array<{
          name?: string;
          resources?: { requests?: { cpu?: string; memory?: string } };
          readinessProbe?: unknown;
          livenessProbe?: unknown;
          env?: Array<{ name?: string; valueFrom?: { secretKeyRef?: { name?: string; key?: string } } }>;
        }>;
      };
    };
  };
}

function loadManifests(): Array<{ file: string; object: K8sObject }> {
  const dir = join(ROOT, "deploy");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .flatMap((file) =>
      parseAllDocuments(readFileSync(join(dir, file), "utf8")).map((doc) => {
        expect(doc.errors, `${file}: ${doc.errors.map((e) => e.message).join("; ")}`).toEqual([]);
        return { file, object: doc.toJS() as K8sObject };
      }),
    );
}

describe("deploy/ Kubernetes manifests", () => {
  const manifests = loadManifests();
  const deployments = manifests.filter((m) => m.object.kind === "Deployment");
  const secretNames = manifests.filter((m) => m.object.kind === "Secret").map((m) => m.object.metadata?.name);

  it("has one Deployment and one Service per service", () => {
    const names = (kind: string) =>
      manifests
        .filter((m) => m.object.kind === kind)
        .map((m) => m.object.metadata?.name)
        .sort();
    const services = [
      "strata-acl-query",
      "strata-auth",
      "strata-gateway",
      "strata-manifest",
      "strata-namespace",
      "strata-tier-migrator",
      "strata-webhook-dispatcher",
    ];
    expect(names("Deployment")).toEqual(services);
    expect(names("Service")).toEqual(services);
  });

  it("gives every container resource requests, probes and the internal token from the Secret", () => {
    expect(deployments.length).toBeGreaterThan(0);
    for (const { file, object } of deployments) {
      const containers = object.spec?.template?.spec?.containers ?? [];
      expect(containers.length, file).toBeGreaterThan(0);
      for (const c of containers) {
        const where = `${file} ${c.name}`;
        expect(c.resources?.requests?.cpu, where).toBeTruthy();
        expect(c.resources?.requests?.memory, where).toBeTruthy();
        expect(c.readinessProbe, where).toBeTruthy();
        expect(c.livenessProbe, where).toBeTruthy();
        const token = c.env?.find((e) => e.name === "STRATA_INTERNAL_TOKEN")?.valueFrom?.secretKeyRef;
        expect(token?.name, where).toBe("strata-internal-token");
        expect(secretNames, where).toContain(token?.name);
      }
    }
  });
});
