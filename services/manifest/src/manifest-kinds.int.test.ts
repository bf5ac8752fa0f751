import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerOf, manifestCalls } from "./testing/manifest-calls.js";
import { FEATURE, SHOP_SECRETS, SHOP_WITH_RULES_YAML } from "./testing/sample-manifests.js";
import { type ManifestHarness, startManifestHarness } from "./testing/service-harness.js";

// Alerts, ACL rules and the tiering policy, through the real acl-query and tier-migrator services.
let harness: ManifestHarness;
let calls: ReturnType<typeof manifestCalls>;

beforeAll(async () => {
  harness = await startManifestHarness();
  calls = manifestCalls(harness.manifest, harness.caller);
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

const options = { secrets: SHOP_SECRETS };

describe("alerts, acl_rules and tiering_policy", () => {
  it("export → apply into another namespace → export is identical, with names and no ids", async () => {
    const first = await harness.newNamespace();
    const applied = answerOf(await calls.apply(first, SHOP_WITH_RULES_YAML, options));
    expect(applied.plan.summary.create).toBe(9);
    const exported = await calls.exportOf(first);
    expect(exported.alerts).toEqual([
      {
        name: "new-physics",
        description: "",
        retriever: "search",
        query: { vector: [0.1, 0.2, 0.3, 0.4] },
        score_threshold: 0.8,
        active: true,
      },
    ]);
    expect(exported.acl_rules).toEqual([
      {
        name: "no-drafts",
        effect: "deny",
        condition: { field: "metadata.draft", operator: "eq", value: true },
        collections: [],
      },
      {
        name: "public-only",
        effect: "allow",
        condition: { field: "metadata.level", operator: "eq", value: "public" },
        collections: ["products"],
      },
    ]);
    expect(exported.tiering_policy).toEqual({
      hot_to_warm_after_days: 30,
      warm_to_cold_after_days: 90,
      cold_to_archive_after_days: null,
      promote_after_accesses: null,
      promote_window_hours: null,
      collections: ["products"],
    });
    expect(JSON.stringify(exported)).not.toMatch(/col_|ret_|rul_|alr_/);
    const second = await harness.newNamespace();
    // The export names the header's secret; the apply elsewhere is given its value.
    const exportedSecrets = { WEBHOOK_OPS_AUTHORIZATION: SHOP_SECRETS.OPS_TOKEN };
    answerOf(await calls.apply(second, exported, { secrets: exportedSecrets }));
    expect(await calls.exportOf(second)).toEqual(exported);
    // Idempotent: applying again changes nothing.
    const again = answerOf(await calls.apply(second, exported, { secrets: exportedSecrets }));
    expect(again.changed).toBe(false);
  });

  it("updates each kind field by field, in place; a bucket's description never replaces it", async () => {
    const namespaceId = await harness.newNamespace();
    answerOf(await calls.apply(namespaceId, SHOP_WITH_RULES_YAML, options));
    const changed = SHOP_WITH_RULES_YAML.replace("score_threshold: 0.8", "score_threshold: 0.6")
      .replace("effect: deny", "effect: allow")
      .replace("hot_to_warm_after_days: 30", "hot_to_warm_after_days: 14")
      .replace("description: uploads", "description: raw uploads");
    const plan = answerOf(await calls.diff(namespaceId, changed, options));
    const byName = new Map(plan.changes.map((c) => [`${c.kind}/${c.name}`, c]));
    expect(byName.get("alerts/new-physics")).toMatchObject({
      action: "update",
      fields: [{ field: "score_threshold", before: 0.8, after: 0.6 }],
    });
    expect(byName.get("acl_rules/no-drafts")).toMatchObject({
      action: "update",
      fields: [{ field: "effect", before: "deny", after: "allow" }],
    });
    expect(byName.get("tiering_policy/policy")).toMatchObject({
      action: "update",
      fields: [{ field: "hot_to_warm_after_days", before: 30, after: 14 }],
    });
    expect(byName.get("buckets/raw")).toMatchObject({
      action: "update",
      fields: [{ field: "description", before: "uploads", after: "raw uploads" }],
    });
    expect(plan.summary).toMatchObject({ update: 4, replace: 0, create: 0, delete: 0 });
    answerOf(await calls.apply(namespaceId, changed, options));
    const exported = await calls.exportOf(namespaceId);
    expect(exported).toMatchObject({
      buckets: [{ name: "raw", description: "raw uploads" }],
      alerts: [{ name: "new-physics", score_threshold: 0.6 }],
      acl_rules: [
        { name: "no-drafts", effect: "allow" },
        { name: "public-only", effect: "allow" },
      ],
      tiering_policy: { hot_to_warm_after_days: 14 },
    });
    expect(answerOf(await calls.diff(namespaceId, changed, options)).summary.update).toBe(0);
  });

  it("replaces only when a feature is removed or changed, and says why; adding one is an update", async () => {
    const namespaceId = await harness.newNamespace();
    answerOf(await calls.apply(namespaceId, SHOP_WITH_RULES_YAML, options));
    const added = SHOP_WITH_RULES_YAML.replace(
      "        dimensions: 4\n",
      `        dimensions: 4\n      - feature_uri: ${FEATURE}-extra\n        dimensions: 2\n`,
    );
    const addPlan = answerOf(await calls.diff(namespaceId, added, options));
    expect(addPlan.changes.find((c) => c.name === "products")).toMatchObject({ action: "update" });
    const resized = SHOP_WITH_RULES_YAML.replace("dimensions: 4", "dimensions: 8").replace(
      "vector: [0.1, 0.2, 0.3, 0.4]",
      "vector: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]",
    );
    const plan = answerOf(await calls.diff(namespaceId, resized, options));
    const products = plan.changes.find((c) => c.kind === "collections" && c.name === "products");
    expect(products?.action).toBe("replace");
    expect(products?.reason).toContain(`features ${FEATURE} would be removed or changed`);
    expect(plan.text).toContain("replaced (deleted, then created again): features");
    // What names the replaced collection by id is pointed at the new one.
    const rebound = plan.changes.filter((c) => c.fields.some((f) => f.rebind === true)).map((c) => c.name);
    expect(rebound.sort()).toEqual(["policy", "public-only", "search"]);
    // acl-query refuses to move a retriever to another feature space while an alert holds a vector
    // in the old one: the alert goes first and comes back after, in the new space.
    const alertSteps = plan.changes.filter((c) => c.kind === "alerts").map((c) => c.action);
    expect(alertSteps).toEqual(["delete", "create"]);
    expect(plan.changes[0]).toMatchObject({ kind: "alerts", action: "delete" });
    expect(plan.changes[0]?.reason).toContain("retrievers/search changes");
    answerOf(await calls.apply(namespaceId, resized, options));
    const exported = await calls.exportOf(namespaceId);
    expect(exported).toMatchObject({
      acl_rules: [{ name: "no-drafts" }, { name: "public-only", collections: ["products"] }],
      tiering_policy: { collections: ["products"] },
      alerts: [{ name: "new-physics", query: { vector: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8] } }],
    });
    expect(
      answerOf(await calls.diff(namespaceId, resized, options)).changes.every((c) => c.action === "no-op"),
    ).toBe(true);
  });

  it("takes an alert out around its retriever's update when the retriever's collection is also replaced", async () => {
    // Found by the convergence property: the retriever changed a field of its own (top_k) in the
    // same apply, so it was not marked as re-bound, and acl-query refused its move to the new space.
    const namespaceId = await harness.newNamespace();
    answerOf(await calls.apply(namespaceId, SHOP_WITH_RULES_YAML, options));
    const resized = SHOP_WITH_RULES_YAML.replace("dimensions: 4", "dimensions: 2")
      .replace("vector: [0.1, 0.2, 0.3, 0.4]", "vector: [0.1, 0.2]")
      .replace("top_k: 5", "top_k: 7");
    const plan = answerOf(await calls.diff(namespaceId, resized, options));
    const search = plan.changes.find((c) => c.kind === "retrievers" && c.name === "search");
    expect(search?.fields.map((f) => [f.field, f.rebind === true])).toEqual([
      ["top_k", false],
      ["collections", true],
    ]);
    expect(plan.changes.filter((c) => c.kind === "alerts").map((c) => c.action)).toEqual([
      "delete",
      "create",
    ]);
    answerOf(await calls.apply(namespaceId, resized, options));
    expect(await calls.exportOf(namespaceId)).toMatchObject({
      retrievers: [{ name: "search", top_k: 7, collections: ["products"] }],
      alerts: [{ name: "new-physics", query: { vector: [0.1, 0.2] } }],
    });
  });

  it("prunes alerts, rules and the policy an apply created (children first), and keeps a protected policy", async () => {
    const withoutRules = SHOP_WITH_RULES_YAML.slice(0, SHOP_WITH_RULES_YAML.indexOf("alerts:"));
    const guarded = await harness.newNamespace();
    const protectedPolicy = SHOP_WITH_RULES_YAML.replace(
      "tiering_policy:\n",
      "tiering_policy:\n  protect: true\n",
    );
    answerOf(await calls.apply(guarded, protectedPolicy, options));
    const refused = await calls.diff(guarded, withoutRules, { ...options, prune: true });
    expect(refused.ok ? undefined : refused.error.details?.validation_errors).toEqual([
      expect.objectContaining({ location: "tiering_policy.policy", type: "protected" }),
    ]);

    const namespaceId = await harness.newNamespace();
    answerOf(await calls.apply(namespaceId, SHOP_WITH_RULES_YAML, options));
    const pruned = answerOf(await calls.apply(namespaceId, withoutRules, { ...options, prune: true }));
    const deletes = pruned.plan.changes.filter((c) => c.action === "delete");
    expect(deletes.map((c) => c.kind)).toEqual(["tiering_policy", "acl_rules", "acl_rules", "alerts"]);
    expect(deletes.map((c) => c.name).sort()).toEqual(["new-physics", "no-drafts", "policy", "public-only"]);
    const exported = await calls.exportOf(namespaceId);
    expect(exported).toMatchObject({ alerts: [], acl_rules: [], collections: [{ name: "products" }] });
    expect(exported).not.toHaveProperty("tiering_policy");
  });

  it("lists every problem of the new kinds at once, with paths and YAML lines", async () => {
    const namespaceId = await harness.newNamespace();
    const bad = `version: "1.0"
metadata:
  name: bad
retrievers:
  - name: r
    collections: [c]
    feature_uri: ${FEATURE}
collections:
  - name: c
alerts:
  - name: dangling
    retriever: nowhere
    query: { text: hello }
    score_threshold: 0.5
  - name: malformed
    retriever: r
    query: { text: "" }
    score_threshold: high
acl_rules:
  - name: malformed
    effect: maybe
    condition: {}
  - name: dangling
    effect: allow
    condition: {}
    collections: [missing]
tiering_policy:
  - hot_to_warm_after_days: 3
`;
    const answer = await calls.diff(namespaceId, bad);
    expect(answer.ok).toBe(false);
    const issues = (answer.ok ? [] : answer.error.details?.validation_errors) as {
      location: string;
      type: string;
      message: string;
    }[];
    expect(issues.map((i) => `${i.location} ${i.type}`).sort()).toEqual([
      "acl_rules[0].effect invalid_value",
      "acl_rules[1].collections[0] dangling_reference",
      "alerts[0].retriever dangling_reference",
      "alerts[1].query.text too_small",
      "alerts[1].score_threshold invalid_type",
      "tiering_policy invalid_type",
    ]);
    expect(issues.find((i) => i.location === "acl_rules[0].effect")?.message).toMatch(/^line 21, column 5: /);
    expect(issues.find((i) => i.location === "tiering_policy")?.message).toContain("one object (not a list)");
    const empty = await calls.diff(
      namespaceId,
      'version: "1.0"\nmetadata: { name: e }\ntiering_policy: {}\n',
    );
    expect(empty.ok ? [] : empty.error.details?.validation_errors).toEqual([
      expect.objectContaining({ location: "tiering_policy", type: "custom" }),
    ]);
  });
});

describe("a tiering policy invalid for the namespace", () => {
  let s3: ManifestHarness;
  let s3Calls: ReturnType<typeof manifestCalls>;
  beforeAll(async () => {
    s3 = await startManifestHarness({ warmBackend: "s3vectors" });
    s3Calls = manifestCalls(s3.manifest, s3.caller);
  }, 60_000);
  afterAll(async () => {
    await s3?.close();
  });

  it("is refused 422 with tier-migrator's reason under tiering_policy, and the apply's other changes undone", async () => {
    const namespaceId = await s3.newNamespace();
    const dot = SHOP_WITH_RULES_YAML.replace(
      "        dimensions: 4\n",
      "        dimensions: 4\n        metric: dot\n",
    );
    const answer = await s3Calls.apply(namespaceId, dot, options);
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(answer.error.kind).toBe("validation");
    expect(answer.error.message).toContain("Apply failed at tiering_policy 'policy' (create)");
    expect(answer.error.details?.validation_errors).toEqual([
      expect.objectContaining({
        location: "tiering_policy.hot_to_warm_after_days",
        type: "unsupported_metric",
      }),
    ]);
    const exported = await s3Calls.exportOf(namespaceId);
    expect(exported).toMatchObject({ buckets: [], collections: [], alerts: [], acl_rules: [] });
    expect(exported).not.toHaveProperty("tiering_policy");
  });
});
