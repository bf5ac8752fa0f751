import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";

/** Each container of the distributed mode serves its own /metrics, where Prometheus looks for it. */
const ROOT = join(import.meta.dirname, "..", "..");
const METRICS_PORT = "9464";

interface Deployment {
  kind?: string;
  metadata?: { name?: string };
  spec?: {
    template?: {
      metadata?: { annotations?: Record<string, string> };
      spec?: { containers?: Array<{ ports?: Array<{ name?: string; containerPort?: number }> }> };
    };
  };
}

function deployments(): Deployment[] {
  const dir = join(ROOT, "deploy");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .flatMap((file) =>
      parseAllDocuments(readFileSync(join(dir, file), "utf8")).map((d) => d.toJS() as Deployment),
    )
    .filter((o) => o.kind === "Deployment");
}

describe("metrics scraping in deploy/ and docker-compose.yml", () => {
  it("sets STRATA_METRICS_PORT for every Kubernetes pod, and every Deployment asks to be scraped there", () => {
    const config = parseAllDocuments(readFileSync(join(ROOT, "deploy", "01-config.yaml"), "utf8"))
      .map((d) => d.toJS() as { kind?: string; data?: Record<string, string> })
      .find((o) => o.kind === "ConfigMap");
    expect(config?.data?.STRATA_METRICS_PORT).toBe(METRICS_PORT);
    const found = deployments();
    expect(found.map((d) => d.metadata?.name).sort()).toEqual([
      "strata-acl-query",
      "strata-auth",
      "strata-gateway",
      "strata-manifest",
      "strata-namespace",
      "strata-tier-migrator",
      "strata-webhook-dispatcher",
    ]);
    for (const deployment of found) {
      const name = deployment.metadata?.name;
      expect(deployment.spec?.template?.metadata?.annotations, name).toEqual({
        "prometheus.io/scrape": "true",
        "prometheus.io/port": METRICS_PORT,
        "prometheus.io/path": "/metrics",
      });
      const ports = deployment.spec?.template?.spec?.containers?.flatMap((c) => c.ports ?? []) ?? [];
      expect(ports, name).toContainEqual({ name: "metrics", containerPort: Number(METRICS_PORT) });
    }
  });

  it("gives every Strata container of the compose file the metrics port, exposed on the compose network only", () => {
    const compose = parse(readFileSync(join(ROOT, "docker-compose.yml"), "utf8"), { merge: true }) as {
      services: Record<
        string,
        { environment?: Record<string, string>; expose?: string[]; ports?: string[]; image?: string }
      >;
    };
    const strata = Object.entries(compose.services).filter(([, s]) => s.image === "strata:local");
    expect(strata.map(([name]) => name).sort()).toEqual([
      "acl-query",
      "auth",
      "gateway",
      "manifest",
      "namespace",
      "tier-migrator",
      "webhook-dispatcher",
    ]);
    for (const [name, service] of strata) {
      expect(service.environment?.STRATA_METRICS_PORT, name).toBe(METRICS_PORT);
      expect(service.expose, name).toEqual([METRICS_PORT]);
      for (const published of service.ports ?? []) expect(published, name).not.toContain(METRICS_PORT);
    }
  });
});
