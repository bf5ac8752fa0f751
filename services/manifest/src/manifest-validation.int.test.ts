import type { ValidationIssue } from "@strata/errors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manifestCalls } from "./testing/manifest-calls.js";
import { FEATURE } from "./testing/sample-manifests.js";
import { type ManifestHarness, startManifestHarness } from "./testing/service-harness.js";

let harness: ManifestHarness;
let calls: ReturnType<typeof manifestCalls>;
let namespaceId: string;

beforeAll(async () => {
  harness = await startManifestHarness();
  calls = manifestCalls(harness.manifest, harness.caller);
  namespaceId = await harness.newNamespace();
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

async function issuesOf(document: string | object, options: { secrets?: Record<string, string> } = {}) {
  const answer = await calls.apply(namespaceId, document, options);
  expect(answer.ok).toBe(false);
  if (answer.ok) return [];
  expect(answer.error.kind).toBe("validation");
  return (answer.error.details as { validation_errors: ValidationIssue[] }).validation_errors;
}

describe("validation", () => {
  it("lists every problem at once, with its path and its YAML line and column, and changes nothing", async () => {
    const yaml = `version: "1.0"
metadata:
  name: bad
  owner: me
colections: []
buckets:
  - name: raw
  - name: raw
collections:
  - name: c
    features:
      - feature_uri: ${FEATURE}
        dimensions: "four"
    colour: red
retrievers:
  - name: r
    collections: [missing]
    feature_uri: ${FEATURE}
webhooks:
  - name: w
    url: https://hooks.example.com/x
    events: ["document.*"]
    headers:
      Authorization: \${{ secrets.TOKEN }}
`;
    const issues = await issuesOf(yaml);
    const at = (location: string) => issues.find((issue) => issue.location === location);
    expect(at("metadata.owner")).toMatchObject({
      type: "unknown_field",
      message: "line 4, column 3: unknown field 'owner'",
    });
    expect(at("colections")).toMatchObject({ type: "unknown_field" });
    expect(at("colections")?.message).toMatch(/^line 5, column 1: /);
    expect(at("buckets[1].name")).toMatchObject({ type: "duplicate_name" });
    expect(at("buckets[1].name")?.message).toMatch(/^line 8, column 5: /);
    expect(at("collections[0].features[0].dimensions")?.message).toMatch(/^line 13, column 9: /);
    expect(at("collections[0].colour")).toMatchObject({ type: "unknown_field" });
    expect(at("collections[0].colour")?.message).toMatch(/^line 14, column 5: /);
    expect(at("retrievers[0].collections[0]")).toMatchObject({ type: "dangling_reference" });
    expect(at("retrievers[0].collections[0]")?.message).toContain("collections 'missing'");
    expect(at("webhooks[0].headers.Authorization")).toMatchObject({ type: "missing_secret" });
    expect(issues).toHaveLength(7);
    expect((await calls.exportOf(namespaceId)).buckets).toEqual([]);
  });

  it("reports JSON problems by path, a wrong version, and a document that does not parse", async () => {
    const issues = await issuesOf({ version: "2", metadata: { name: "" }, buckets: {} });
    expect(issues.map((i) => i.location).sort()).toEqual(["buckets", "metadata.name", "version"]);

    const broken = await issuesOf("version: '1.0'\nbuckets: [\n");
    expect(broken).toHaveLength(1);
    expect(broken[0]).toMatchObject({ location: "(document)", type: "parse_error" });
    expect(broken[0]?.message).toMatch(/^line \d+, column \d+: /);
  });

  it("accepts a reference to a resource listed later in the manifest (order comes from the kinds)", async () => {
    // Cycles need a kind that refers to its own kind; none of the built-in ones does, so the cycle
    // check is tested in domain/validate-manifest.test.ts.
    const ok = await calls.diff(namespaceId, {
      version: "1.0",
      metadata: { name: "order" },
      retrievers: [{ name: "r", collections: ["c"], feature_uri: FEATURE }],
      collections: [{ name: "c", features: [{ feature_uri: FEATURE, dimensions: 4 }] }],
    });
    expect(ok.ok).toBe(true);
  });
});
