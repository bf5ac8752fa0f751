import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerOf, manifestCalls } from "./testing/manifest-calls.js";
import { FEATURE } from "./testing/sample-manifests.js";
import { type ManifestHarness, startManifestHarness } from "./testing/service-harness.js";

let harness: ManifestHarness;
let calls: ReturnType<typeof manifestCalls>;

beforeAll(async () => {
  harness = await startManifestHarness();
  calls = manifestCalls(harness.manifest, harness.caller);
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

// Small name pools, so A and B share resources often (updates, replaces) and differ often (creates,
// prunes).
const bucket = fc.record({
  name: fc.constantFrom("b1", "b2", "b3"),
  description: fc.constantFrom("", "raw", "cold"),
});
const collection = fc.record({
  name: fc.constantFrom("c1", "c2"),
  dimensions: fc.constantFrom(2, 4),
  metric: fc.constantFrom("cosine", "dot"),
  indexed_fields: fc.subarray(["category", "year"]),
  description: fc.constantFrom("", "docs"),
});
const retriever = fc.record({
  name: fc.constantFrom("r1", "r2"),
  top_k: fc.integer({ min: 1, max: 50 }),
  collectionPick: fc.nat(),
});
const taxonomy = fc.record({
  name: fc.constantFrom("t1", "t2"),
  nodes: fc.constantFrom(
    [],
    [{ label: "a", parent: null }],
    [
      { label: "a", parent: null },
      { label: "b", parent: "a" },
    ],
  ),
});
const webhook = fc.record({
  name: fc.constantFrom("w1", "w2"),
  events: fc.subarray(["document.*", "batch.completed"], { minLength: 1 }),
  is_active: fc.boolean(),
});

const alert = fc.record({
  name: fc.constantFrom("a1", "a2"),
  retrieverPick: fc.nat(),
  score_threshold: fc.constantFrom(0.5, 0.9),
  active: fc.boolean(),
});
const aclRule = fc.record({
  name: fc.constantFrom("rule1", "rule2"),
  effect: fc.constantFrom("allow", "deny"),
  level: fc.constantFrom("public", "internal"),
  collectionPicks: fc.array(fc.nat(), { maxLength: 2 }),
});
const tieringPolicy = fc.option(
  fc.record({
    hot_to_warm_after_days: fc.constantFrom(7, 30),
    warm_to_cold_after_days: fc.constantFrom(null, 90),
    collectionPicks: fc.array(fc.nat(), { maxLength: 2 }),
  }),
);

const uniqueBy = <T extends { name: string }>(items: T[]) => [
  ...new Map(items.map((i) => [i.name, i])).values(),
];

/** A random valid manifest, and the export that applying it must give (defaults filled, sorted). */
const manifests = fc
  .record({
    buckets: fc.array(bucket, { maxLength: 3 }),
    collections: fc.array(collection, { maxLength: 2 }),
    taxonomies: fc.array(taxonomy, { maxLength: 2 }),
    retrievers: fc.array(retriever, { maxLength: 2 }),
    webhooks: fc.array(webhook, { maxLength: 2 }),
    alerts: fc.array(alert, { maxLength: 2 }),
    acl_rules: fc.array(aclRule, { maxLength: 2 }),
    tiering_policy: tieringPolicy,
  })
  .map((drawn) => {
    const buckets = uniqueBy(drawn.buckets);
    const collections = uniqueBy(drawn.collections);
    const retrievers = collections.length === 0 ? [] : uniqueBy(drawn.retrievers);
    const webhooks = uniqueBy(drawn.webhooks);
    const taxonomies = uniqueBy(drawn.taxonomies);
    const collectionOf = (pick: number) => collections[pick % collections.length]?.name ?? "";
    const collectionsOf = (picks: number[]) =>
      collections.length === 0 ? [] : [...new Set(picks.map(collectionOf))];
    const retrieverOf = (pick: number) => retrievers[pick % retrievers.length];
    // An alert's vector lives in its retriever's feature space: the dimensions of its collection.
    const dimensionsOf = (pick: number) =>
      collections.find((c) => c.name === collectionOf(retrieverOf(pick)?.collectionPick ?? 0))?.dimensions ??
      2;
    const alerts = retrievers.length === 0 ? [] : uniqueBy(drawn.alerts);
    const aclRules = uniqueBy(drawn.acl_rules);
    const policy = drawn.tiering_policy;
    const alertOf = (a: (typeof alerts)[number]) => ({
      name: a.name,
      retriever: retrieverOf(a.retrieverPick)?.name ?? "",
      query: { vector: Array.from({ length: dimensionsOf(a.retrieverPick) }, (_, i) => (i + 1) / 10) },
      score_threshold: a.score_threshold,
      active: a.active,
    });
    const ruleOf = (r: (typeof aclRules)[number]) => ({
      name: r.name,
      effect: r.effect,
      condition: { field: "metadata.level", operator: "eq", value: r.level },
      collections: collectionsOf(r.collectionPicks),
    });
    const document = {
      version: "1.0",
      metadata: { name: "prop" },
      buckets: buckets.map((b) => (b.description === "" ? { name: b.name } : b)),
      collections: collections.map((c) => ({
        name: c.name,
        description: c.description,
        features: [{ feature_uri: FEATURE, dimensions: c.dimensions, metric: c.metric }],
        indexed_fields: c.indexed_fields,
      })),
      taxonomies: taxonomies.map((t) => ({
        name: t.name,
        nodes: t.nodes.map((n) => (n.parent === null ? { label: n.label } : n)),
      })),
      retrievers: retrievers.map((r) => ({
        name: r.name,
        collections: [collectionOf(r.collectionPick)],
        feature_uri: FEATURE,
        top_k: r.top_k,
      })),
      webhooks: webhooks.map((w) => ({
        name: w.name,
        url: `https://hooks.example.com/${w.name}`,
        events: w.events,
        is_active: w.is_active,
      })),
      alerts: alerts.map(alertOf),
      acl_rules: aclRules.map(ruleOf),
      ...(policy === null
        ? {}
        : {
            tiering_policy: {
              hot_to_warm_after_days: policy.hot_to_warm_after_days,
              warm_to_cold_after_days: policy.warm_to_cold_after_days,
              collections: collectionsOf(policy.collectionPicks),
            },
          }),
    };
    const byName = <T extends { name: string }>(items: T[]) =>
      [...items].sort((a, b) => a.name.localeCompare(b.name));
    const expected = {
      version: "1.0",
      metadata: { name: "prop" },
      buckets: byName(buckets.map((b) => ({ name: b.name, description: b.description }))),
      collections: byName(
        collections.map((c) => ({
          name: c.name,
          description: c.description,
          features: [{ feature_uri: FEATURE, dimensions: c.dimensions, metric: c.metric }],
          metadata_schema: null,
          indexed_fields: c.indexed_fields,
        })),
      ),
      taxonomies: byName(taxonomies.map((t) => ({ name: t.name, description: "", nodes: t.nodes }))),
      retrievers: byName(
        retrievers.map((r) => ({
          name: r.name,
          description: "",
          collections: [collectionOf(r.collectionPick)],
          feature_uri: FEATURE,
          top_k: r.top_k,
          filters: null,
          score_threshold: null,
        })),
      ),
      webhooks: byName(
        webhooks.map((w) => ({
          name: w.name,
          url: `https://hooks.example.com/${w.name}`,
          events: w.events,
          headers: {},
          is_active: w.is_active,
        })),
      ),
      alerts: byName(alerts.map((a) => ({ ...alertOf(a), description: "" }))),
      acl_rules: byName(aclRules.map(ruleOf)),
      ...(policy === null
        ? {}
        : {
            tiering_policy: {
              hot_to_warm_after_days: policy.hot_to_warm_after_days,
              warm_to_cold_after_days: policy.warm_to_cold_after_days,
              cold_to_archive_after_days: null,
              promote_after_accesses: null,
              promote_window_hours: null,
              collections: collectionsOf(policy.collectionPicks),
            },
          }),
    };
    return { document, expected };
  });

describe("convergence", () => {
  it("apply A then B (with prune) exports B, and the diff right after each apply is empty", async () => {
    await fc.assert(
      fc.asyncProperty(manifests, manifests, async (a, b) => {
        const namespaceId = await harness.newNamespace();
        answerOf(await calls.apply(namespaceId, a.document, { prune: true }));
        expect(answerOf(await calls.diff(namespaceId, a.document, { prune: true })).summary).toMatchObject({
          create: 0,
          update: 0,
          replace: 0,
          delete: 0,
        });
        answerOf(await calls.apply(namespaceId, b.document, { prune: true }));
        expect(await calls.exportOf(namespaceId, "prop")).toEqual(b.expected);
        const after = answerOf(await calls.diff(namespaceId, b.document, { prune: true }));
        expect(after.changes.filter((c) => c.action !== "no-op")).toEqual([]);
      }),
      { numRuns: 8 },
    );
  }, 120_000);
});
