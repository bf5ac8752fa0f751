import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { callApi, expectErrorBody, startTestPlatform, type TestPlatform } from "./harness.js";

// The manifest routes through the gateway: the three body forms, YAML and JSON export, the stale
// plan refusal, 422 with YAML lines, and namespace isolation.
const FEATURE = "strata://test@v1/embedding";
const YAML_MANIFEST = `version: "1.0"
metadata:
  name: rest
buckets:
  - name: raw
collections:
  - name: products
    features:
      - feature_uri: ${FEATURE}
        dimensions: 4
`;

interface Plan {
  plan_hash: string;
  summary: Record<string, number>;
  changes: Array<{ kind: string; name: string; action: string }>;
  plan_text: string;
}

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform();
}, 120_000);

afterAll(async () => {
  await platform?.stop();
});

async function newNamespace(name: string): Promise<string> {
  const created = await platform.call<{ namespace_id: string }>("POST", "/v1/namespaces", {
    body: { namespace_name: name },
  });
  expect(created.status).toBe(201);
  return created.body.namespace_id;
}

function multipart(fields: Record<string, string>): { body: string; contentType: string } {
  const boundary = "strata-test-boundary";
  const parts = Object.entries(fields).map(
    ([name, value]) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${name === "manifest_file" ? '; filename="m.yaml"' : ""}\r\n\r\n${value}\r\n`,
  );
  return {
    body: `${parts.join("")}--${boundary}--\r\n`,
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

describe("/v1/manifest", () => {
  it("diffs a YAML body, applies a multipart one, and exports YAML by default and JSON on request", async () => {
    const namespace = await newNamespace("manifest-rest");
    const diff = await platform.call<Plan>("POST", "/v1/manifest/diff", {
      namespace,
      body: YAML_MANIFEST,
      headers: { "content-type": "application/yaml" },
    });
    expect(diff.status, JSON.stringify(diff.body)).toBe(200);
    expect(diff.body.summary.create).toBe(2);
    expect(diff.body.plan_text).toContain("+ buckets/raw");

    const form = multipart({ manifest_file: YAML_MANIFEST, dry_run: "false" });
    const applied = await platform.call<{ changed: boolean; apply_id: string }>(
      "POST",
      "/v1/manifest/apply",
      {
        namespace,
        body: form.body,
        headers: { "content-type": form.contentType },
      },
    );
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect(applied.body.changed).toBe(true);
    expect(applied.body.apply_id).toMatch(/^mfa_/);

    const yamlExport = await callApi<string>(platform.url, "GET", "/v1/manifest/export?name=rest", {
      key: platform.adminKey,
      namespace,
    });
    expect(yamlExport.status).toBe(200);
    expect(yamlExport.headers.get("content-type")).toContain("application/yaml");
    const fromYaml = parse(yamlExport.body) as { buckets: Array<{ name: string }> };
    expect(fromYaml.buckets.map((b) => b.name)).toEqual(["raw"]);

    const jsonExport = await platform.call<Record<string, unknown>>(
      "GET",
      "/v1/manifest/export?format=json&name=rest",
      {
        namespace,
      },
    );
    expect(jsonExport.status).toBe(200);
    expect(jsonExport.body).toEqual(fromYaml);
    const byAccept = await platform.call("GET", "/v1/manifest/export?name=rest", {
      namespace,
      headers: { accept: "application/json" },
    });
    expect(byAccept.body).toEqual(fromYaml);

    // The JSON form, with the export as the manifest: nothing to change.
    const again = await platform.call<Plan>("POST", "/v1/manifest/diff", {
      namespace,
      body: { manifest: jsonExport.body },
    });
    expect(again.status).toBe(200);
    expect(again.body.changes.every((change) => change.action === "no-op")).toBe(true);
  }, 60_000);

  it("refuses a stale plan hash with 409 and changes nothing", async () => {
    const namespace = await newNamespace("manifest-stale");
    const reviewed = await platform.call<Plan>("POST", "/v1/manifest/diff", {
      namespace,
      body: { manifest: YAML_MANIFEST },
    });
    // Someone else changes the namespace between the review and the apply.
    const other = await platform.call("POST", "/v1/buckets", { namespace, body: { bucket_name: "raw" } });
    expect(other.status).toBe(201);
    const refused = await platform.call("POST", "/v1/manifest/apply", {
      namespace,
      body: { manifest: YAML_MANIFEST, expected_plan_hash: reviewed.body.plan_hash },
    });
    // A stale plan clashes with the namespace's state, not with a name (ADR 0036); details name both hashes.
    const stale = expectErrorBody(refused, 409, "ConflictError");
    expect(stale.details).toMatchObject({ expected_plan_hash: reviewed.body.plan_hash });
    const collections = await platform.call<{ data: unknown[] }>("GET", "/v1/collections", { namespace });
    expect(collections.body.data).toEqual([]);
  }, 60_000);

  it("answers 422 listing every problem with its YAML line, and 404 for a namespace the key cannot reach", async () => {
    const namespace = await newNamespace("manifest-bad");
    const bad = await platform.call("POST", "/v1/manifest/diff", {
      namespace,
      body: `version: "1.0"\nmetadata:\n  name: bad\nbuckets:\n  - description: no name\n  - name: ok\n    colour: red\n`,
      headers: { "content-type": "application/yaml" },
    });
    const { details } = expectErrorBody(bad, 422, "ValidationError");
    const issues = (details as { validation_errors: Array<{ location: string; message: string }> })
      .validation_errors;
    expect(issues.length).toBeGreaterThanOrEqual(2);
    expect(issues.every((issue) => /line \d+/.test(`${issue.location} ${issue.message}`))).toBe(true);

    const key = await platform.call<{ api_key: string }>("POST", "/v1/api-keys", {
      body: {
        name: "elsewhere",
        permissions: ["read", "write"],
        namespaces: [await newNamespace("manifest-other")],
      },
    });
    expect(key.status).toBe(201);
    const denied = await callApi(platform.url, "GET", "/v1/manifest/export", {
      key: key.body.api_key,
      namespace,
    });
    expectErrorBody(denied, 404, "NotFoundError");
  }, 60_000);

  it("answers a multipart body's problems by name: 422 listing each part's, 400 for a body that is not multipart", async () => {
    const namespace = await newNamespace("manifest-multipart");
    const form = multipart({ manifest: YAML_MANIFEST, secrets: "{not json", prune: "yes" });
    const refused = await platform.call("POST", "/v1/manifest/apply", {
      namespace,
      body: form.body,
      headers: { "content-type": form.contentType },
    });
    const { details } = expectErrorBody(refused, 422, "ValidationError");
    const issues = (details as { validation_errors: Array<{ location: string; type: string }> })
      .validation_errors;
    expect(issues.map((i) => `${i.location} ${i.type}`).sort()).toEqual([
      "body.manifest unknown_field",
      "body.manifest_file missing",
      "body.prune invalid_value",
      "body.secrets invalid_type",
    ]);
    const cut = await platform.call("POST", "/v1/manifest/diff", {
      namespace,
      body: `--strata-test-boundary\r\nContent-Disposition: form-data; name="manifest_file"\r\n\r\n${YAML_MANIFEST}`,
      headers: { "content-type": "multipart/form-data; boundary=strata-test-boundary" },
    });
    expect(expectErrorBody(cut, 400, "BadRequestError").message).toContain(
      "multipart body is not well-formed",
    );
    const collections = await platform.call<{ data: unknown[] }>("GET", "/v1/collections", { namespace });
    expect(collections.body.data).toEqual([]);
  }, 60_000);

  it("applies alerts, ACL rules and the tiering policy, and updates a bucket's description in place", async () => {
    const namespace = await newNamespace("manifest-kinds");
    const manifest = {
      version: "1.0",
      metadata: { name: "kinds" },
      buckets: [{ name: "raw", description: "uploads" }],
      collections: [{ name: "products", features: [{ feature_uri: FEATURE, dimensions: 4 }] }],
      retrievers: [{ name: "search", collections: ["products"], feature_uri: FEATURE }],
      alerts: [{ name: "hot", retriever: "search", query: { vector: [1, 0, 0, 0] }, score_threshold: 0.9 }],
      acl_rules: [
        {
          name: "public",
          effect: "allow",
          condition: { field: "metadata.level", operator: "eq", value: "public" },
          collections: ["products"],
        },
      ],
      tiering_policy: { hot_to_warm_after_days: 30, collections: ["products"] },
    };
    const applied = await platform.call<{ plan: Plan }>("POST", "/v1/manifest/apply", {
      namespace,
      body: { manifest },
    });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect(applied.body.plan.summary.create).toBe(6);
    // The policy is tier-migrator's own: its route reads what the manifest set, by collection id.
    const policy = await platform.call<{ hot_to_warm_after_days: number; collection_ids: string[] }>(
      "GET",
      "/v1/tiering/policy",
      { namespace },
    );
    expect(policy.body.hot_to_warm_after_days).toBe(30);
    expect(policy.body.collection_ids).toEqual([expect.stringMatching(/^col_/)]);
    const exported = await platform.call<Record<string, unknown>>("GET", "/v1/manifest/export?format=json", {
      namespace,
    });
    expect(exported.body).toMatchObject({
      alerts: [{ name: "hot", retriever: "search", score_threshold: 0.9 }],
      acl_rules: [{ name: "public", effect: "allow", collections: ["products"] }],
      tiering_policy: { hot_to_warm_after_days: 30, collections: ["products"] },
    });
    const described = { ...manifest, buckets: [{ name: "raw", description: "raw uploads" }] };
    const diff = await platform.call<Plan>("POST", "/v1/manifest/diff", {
      namespace,
      body: { manifest: described },
    });
    expect(diff.body.changes.filter((c) => c.action !== "no-op")).toEqual([
      expect.objectContaining({ kind: "buckets", name: "raw", action: "update" }),
    ]);
    expect(diff.body.plan_text).toContain('~ buckets/raw\n    description: "uploads" → "raw uploads"');
  }, 60_000);
});
