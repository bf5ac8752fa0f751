import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type TempDir, tempDir } from "@strata/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { callApi } from "./harness.js";
import { killLaunchedPlatforms, launchPlatformProcess, type PlatformProcess } from "./platform-process.js";

// The `strata` CLI as people run it (a child process, `node libs/cli/bin/strata.mjs`) against the
// platform as `npm start` runs it (another child process, embedded mode).
const repoRoot = join(import.meta.dirname, "../..");
const FEATURE = "strata://test@v1/embedding";

let platform: PlatformProcess;
let dir: TempDir;
let adminKey: string;

interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function strata(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["libs/cli/bin/strata.mjs", ...args],
      {
        cwd: repoRoot,
        env: { ...process.env, STRATA_URL: platform.url, STRATA_API_KEY: adminKey, NO_COLOR: "", ...env },
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function newNamespace(name: string): Promise<string> {
  const created = await callApi<{ namespace_id: string }>(platform.url, "POST", "/v1/namespaces", {
    key: adminKey,
    body: { namespace_name: name },
  });
  expect(created.status).toBe(201);
  return created.body.namespace_id;
}

const MANIFEST = `version: "1.0"
metadata:
  name: shop
buckets:
  - name: raw
    description: uploads
collections:
  - name: products
    features:
      - feature_uri: ${FEATURE}
        dimensions: 4
retrievers:
  - name: search
    collections: [products]
    feature_uri: ${FEATURE}
    top_k: 5
alerts:
  - name: hot
    retriever: search
    query:
      vector: [1, 0, 0, 0]
    score_threshold: 0.9
acl_rules:
  - name: public
    effect: allow
    condition:
      field: metadata.level
      operator: eq
      value: public
    collections: [products]
tiering_policy:
  hot_to_warm_after_days: 30
  collections: [products]
`;

beforeAll(async () => {
  dir = await tempDir("strata-cli-");
  platform = await launchPlatformProcess({ dataDir: join(dir.path, "data") });
  const bootstrap = JSON.parse(await readFile(join(dir.path, "data", "bootstrap.json"), "utf8")) as {
    api_key: string;
  };
  adminKey = bootstrap.api_key;
}, 120_000);

afterAll(async () => {
  platform?.child.kill("SIGTERM");
  await platform?.exited;
  killLaunchedPlatforms();
  await dir?.remove();
});

describe("strata manifest", () => {
  it("diff exits 2 with a + plan, apply creates, diff then exits 0, export round-trips into another namespace", async () => {
    const source = await newNamespace("cli-source");
    const file = join(dir.path, "m.yaml");
    await writeFile(file, MANIFEST);

    const before = await strata(["manifest", "diff", "-f", file], { STRATA_NAMESPACE: source });
    expect(before.stderr).toBe("");
    expect(before.code).toBe(2);
    expect(before.stdout).toContain("+ buckets/raw");
    expect(before.stdout).toContain("+ retrievers/search");
    expect(before.stdout).toContain("+ alerts/hot");
    expect(before.stdout).toContain("+ acl_rules/public");
    expect(before.stdout).toContain("+ tiering_policy/policy");
    expect(before.stdout).not.toContain("\u001b["); // not a terminal: no colour

    const applied = await strata(["manifest", "apply", "-f", file], { STRATA_NAMESPACE: source });
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/Applied \(mfa_/);

    const after = await strata(["manifest", "diff", "-f", file], { STRATA_NAMESPACE: source });
    expect(after.code).toBe(0);
    expect(after.stdout).toContain("No changes");

    const exported = await strata(["manifest", "export", "--name", "shop"], { STRATA_NAMESPACE: source });
    expect(exported.code).toBe(0);
    const document = parse(exported.stdout) as {
      buckets: Array<{ name: string }>;
      alerts: Array<{ name: string; retriever: string }>;
      tiering_policy: { collections: string[] };
    };
    expect(document.buckets.map((bucket) => bucket.name)).toEqual(["raw"]);
    expect(document.alerts).toMatchObject([{ name: "hot", retriever: "search" }]);
    expect(document.tiering_policy.collections).toEqual(["products"]);

    // The export applied into an empty namespace makes it the same: its export is identical.
    const target = await newNamespace("cli-target");
    const exportedFile = join(dir.path, "exported.yaml");
    await writeFile(exportedFile, exported.stdout);
    const copied = await strata(["manifest", "apply", "-f", exportedFile, "--namespace", target]);
    expect(copied.code).toBe(0);
    const again = await strata(["manifest", "export", "--name", "shop", "--namespace", target]);
    expect(again.stdout).toBe(exported.stdout);
  }, 120_000);

  it("--dry-run changes nothing; a bad manifest exits 1 naming the line", async () => {
    const namespace = await newNamespace("cli-dry");
    const file = join(dir.path, "dry.yaml");
    await writeFile(file, MANIFEST);
    const dry = await strata(["manifest", "apply", "-f", file, "--dry-run"], { STRATA_NAMESPACE: namespace });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("Dry run: nothing was changed.");
    const still = await strata(["manifest", "diff", "-f", file], { STRATA_NAMESPACE: namespace });
    expect(still.code).toBe(2);

    const bad = join(dir.path, "bad.yaml");
    await writeFile(bad, `version: "1.0"\nmetadata:\n  name: bad\nbuckets:\n  - description: no name\n`);
    const refused = await strata(["manifest", "diff", "-f", bad], { STRATA_NAMESPACE: namespace });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("422");
    expect(refused.stderr).toMatch(/buckets\[0\]|buckets\.0/);
  }, 120_000);

  it("plans a bucket's new description as ~ (exit 2) and --prune removes the alert, rule and policy", async () => {
    const namespace = await newNamespace("cli-update");
    const file = join(dir.path, "update.yaml");
    await writeFile(file, MANIFEST);
    expect((await strata(["manifest", "apply", "-f", file], { STRATA_NAMESPACE: namespace })).code).toBe(0);

    const described = join(dir.path, "described.yaml");
    await writeFile(described, MANIFEST.replace("description: uploads", "description: raw uploads"));
    const plan = await strata(["manifest", "diff", "-f", described], { STRATA_NAMESPACE: namespace });
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain("~ buckets/raw");
    expect(plan.stdout).not.toContain("-/+");

    const trimmed = join(dir.path, "trimmed.yaml");
    await writeFile(trimmed, MANIFEST.slice(0, MANIFEST.indexOf("alerts:")));
    const pruned = await strata(["manifest", "apply", "-f", trimmed, "--prune"], {
      STRATA_NAMESPACE: namespace,
    });
    expect(pruned.code).toBe(0);
    for (const line of ["- tiering_policy/policy", "- acl_rules/public", "- alerts/hot"])
      expect(pruned.stdout).toContain(line);
    const after = await strata(["manifest", "diff", "-f", trimmed, "--prune"], {
      STRATA_NAMESPACE: namespace,
    });
    expect(after.code).toBe(0);
  }, 120_000);

  it("names what is missing and exits 1 without an API key", async () => {
    const run = await strata(["manifest", "export"], { STRATA_API_KEY: "", STRATA_NAMESPACE: "x" });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("STRATA_API_KEY");
  });
});
