/**
 * npm run bench:acl — document ACLs on the query path (ADR 0018), through the REST gateway of a
 * real platform process (embedded mode, as `npm start` runs it):
 *   1. ingest N × D clustered vectors (default 100,000 × 384) through the batch API, each document
 *      readable by one of 20 roles (`role:r<i % 20>`), 1% of them also by `role:rare`, with a
 *      department (10) and 1% marked classified;
 *   2. 1,000 principals with 1–3 random roles and a department; two rules of realistic shape:
 *      allow same department (`$user.attributes.department`), deny classified;
 *   3. the same retriever executed with the org key (no ACL) and with end-user keys of 20 random
 *      principals (ACL), interleaved query by query: p50/p99 of each, measured in the same run;
 *   4. recall@10 for a principal who sees exactly 1% of the documents (`role:rare`, no department),
 *      against an exact brute force over those documents computed here.
 * Environment: BENCH_COUNT, BENCH_DIMS, BENCH_QUERIES (default 300), BENCH_BATCH (default 5,000).
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { BruteForceCosine, clusteredVectors } from "@strata/hotindex";
import { launchPlatformProcess } from "../e2e/platform-process.js";
import { httpClient } from "./http-json.js";
import { gatewayCalls, waitForGraph } from "./search-workload.js";

const COUNT = Number(process.env.BENCH_COUNT ?? 100_000);
const DIMS = Number(process.env.BENCH_DIMS ?? 384);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 300);
const BATCH = Number(process.env.BENCH_BATCH ?? 5_000);
const PRINCIPALS = 1_000;
const MEASURED_PRINCIPALS = 20;
const ROLES = 20;
const DEPARTMENTS = 10;
const RARE_BUCKET = 42;
const CLASSIFIED_BUCKET = 7;
const K = 10;
const FEATURE = "strata://bench@v1/embedding";

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;
const pct = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
/** A small deterministic generator, so every run builds the same principals. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

console.log(
  JSON.stringify({
    machine: { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version, load: loadavg() },
    count: COUNT,
    dimensions: DIMS,
    principals: PRINCIPALS,
    queries: QUERIES,
  }),
);

const generated = clusteredVectors({ count: COUNT, dimensions: DIMS, clusters: 100, seed: 2026 });
const rounded = Float64Array.from(generated.data, (x) => Math.round(x * 1e6) / 1e6);
const brute = new BruteForceCosine(Float32Array.from(rounded), DIMS);
const queries = generated.queries(QUERIES, 7);
const rareTruth = Array.from({ length: QUERIES }, (_, q) =>
  brute.topK(queries.vector(q), K, (i) => i % 100 === RARE_BUCKET).map((i) => `d${i}`),
);

function batchBody(first: number, count: number): string {
  const parts: string[] = [];
  for (let i = first; i < first + count; i++) {
    const vector = JSON.stringify(Array.prototype.slice.call(rounded.subarray(i * DIMS, (i + 1) * DIMS)));
    const read = [`role:r${i % ROLES}`, ...(i % 100 === RARE_BUCKET ? ["role:rare"] : [])];
    const metadata = { department: `dep${i % DEPARTMENTS}`, classified: i % 100 === CLASSIFIED_BUCKET };
    parts.push(
      `{"document_id":"d${i}","metadata":${JSON.stringify(metadata)},"features":{"${FEATURE}":${vector}},"_acl":{"read":${JSON.stringify(read)},"write":[]}}`,
    );
  }
  return `{"documents":[${parts.join(",")}]}`;
}
const starts = Array.from({ length: Math.ceil(COUNT / BATCH) }, (_, b) => b * BATCH);
const bodies = new Map(starts.map((first) => [first, batchBody(first, Math.min(BATCH, COUNT - first))]));

const dataDir = await mkdtemp(join(tmpdir(), "strata-acl-bench-"));
const { child, url } = await launchPlatformProcess({
  dataDir,
  env: { GATEWAY_RATE_LIMIT_MAX: "100000000" },
  nodeArgs: [],
  startTimeoutMs: 120_000,
});
const http = httpClient(url);
const { api_key: adminKey } = JSON.parse(await readFile(join(dataDir, "bootstrap.json"), "utf8")) as {
  api_key: string;
};
const api = (key: string, namespace?: string) => gatewayCalls(http, key, namespace);

try {
  const root = api(adminKey);
  const { namespace_id: ns } = await root<{ namespace_id: string }>("POST", "/v1/namespaces", {
    namespace_name: "acl-bench",
  });
  const admin = api(adminKey, ns);
  const { collection_id: collectionId } = await admin<{ collection_id: string }>("POST", "/v1/collections", {
    collection_name: "vectors",
    features: [{ feature_uri: FEATURE, dimensions: DIMS, metric: "cosine" }],
    indexed_fields: ["department", "classified"],
  });

  // 1. Ingest, three batches in flight.
  const ingestStart = performance.now();
  const queue = [...starts];
  await Promise.all(
    Array.from({ length: 3 }, async () => {
      for (let first = queue.shift(); first !== undefined; first = queue.shift()) {
        const body = bodies.get(first) ?? "";
        bodies.delete(first);
        const { batch_id } = await admin<{ batch_id: string }>(
          "POST",
          `/v1/collections/${collectionId}/documents/batch`,
          body,
        );
        for (;;) {
          const batch = await admin<{ status: string }>("GET", `/v1/batches/${batch_id}`);
          if (batch.status === "completed" || batch.status === "failed") break;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    }),
  );
  const ingestSeconds = (performance.now() - ingestStart) / 1000;

  // 2. Principals and rules.
  const rand = random(99);
  const measuredKeys: string[] = [];
  for (let p = 0; p < PRINCIPALS; p++) {
    const roles = [
      ...new Set(Array.from({ length: 1 + Math.floor(rand() * 3) }, () => `r${Math.floor(rand() * ROLES)}`)),
    ];
    const department = `dep${Math.floor(rand() * DEPARTMENTS)}`;
    await root("POST", "/v1/principals", { principal_id: `user${p}`, roles, attributes: { department } });
    if (p < MEASURED_PRINCIPALS) {
      const key = await root<{ api_key: string }>("POST", "/v1/api-keys", {
        name: `user${p}`,
        permissions: ["read"],
        principal_id: `user${p}`,
      });
      measuredKeys.push(key.api_key);
    }
  }
  await root("POST", "/v1/principals", { principal_id: "needle", roles: ["rare"], attributes: {} });
  const needleKey = (
    await root<{ api_key: string }>("POST", "/v1/api-keys", {
      name: "needle",
      permissions: ["read"],
      principal_id: "needle",
    })
  ).api_key;
  await admin("POST", "/v1/acl/rules", {
    rule_name: "same-department",
    effect: "allow",
    condition: {
      AND: [{ field: "metadata.department", operator: "eq", value: "$user.attributes.department" }],
    },
  });
  await admin("POST", "/v1/acl/rules", {
    rule_name: "no-classified",
    effect: "deny",
    condition: { AND: [{ field: "metadata.classified", operator: "eq", value: true }] },
  });

  // The graph is built in the background after ingest; measure once it is done.
  const buildStart = performance.now();
  await waitForGraph(admin, collectionId, COUNT);
  const buildSeconds = (performance.now() - buildStart) / 1000;
  const { retriever_id: retrieverId } = await admin<{ retriever_id: string }>("POST", "/v1/retrievers", {
    retriever_name: "bench",
    collection_ids: [collectionId],
    feature_uri: FEATURE,
    top_k: K,
  });
  const execute = async (key: string, q: number) => {
    const vector = Array.from(queries.vector(q), (x) => Math.round(x * 1e6) / 1e6);
    const started = performance.now();
    const answer = await api(key, ns)<{ results: Array<{ document_id: string }> }>(
      "POST",
      `/v1/retrievers/${retrieverId}/execute`,
      { query: { vector }, top_k: K },
    );
    return { ms: performance.now() - started, ids: answer.results.map((r) => r.document_id) };
  };

  // 3. Interleaved, twice over (the first pass warms up): org key, then an end-user key.
  const without: number[] = [];
  const withAcl: number[] = [];
  for (let pass = 0; pass < 2; pass++) {
    for (let q = 0; q < QUERIES; q++) {
      const plain = await execute(adminKey, q);
      const acl = await execute(measuredKeys[q % measuredKeys.length] ?? adminKey, q);
      if (pass === 0) continue;
      without.push(plain.ms);
      withAcl.push(acl.ms);
    }
  }
  without.sort((a, b) => a - b);
  withAcl.sort((a, b) => a - b);

  // 4. Recall at 1% visibility.
  let found = 0;
  let leaked = 0;
  const rareLatency: number[] = [];
  for (let q = 0; q < QUERIES; q++) {
    const result = await execute(needleKey, q);
    rareLatency.push(result.ms);
    const want = new Set(rareTruth[q]);
    found += result.ids.filter((id) => want.has(id)).length;
    leaked += result.ids.filter((id) => Number(id.slice(1)) % 100 !== RARE_BUCKET).length;
  }
  rareLatency.sort((a, b) => a - b);
  const p99Ratio = pct(withAcl, 0.99) / pct(without, 0.99);
  console.log(
    JSON.stringify({
      ingest: {
        documents: COUNT,
        seconds: round(ingestSeconds, 1),
        graph_build_seconds: round(buildSeconds, 1),
      },
      retriever_execute_without_acl: { p50_ms: round(pct(without, 0.5)), p99_ms: round(pct(without, 0.99)) },
      retriever_execute_with_acl: {
        principals_measured: MEASURED_PRINCIPALS,
        p50_ms: round(pct(withAcl, 0.5)),
        p99_ms: round(pct(withAcl, 0.99)),
      },
      p99_with_over_without: round(p99Ratio, 2),
      one_percent_visibility: {
        recall_at_10: round(found / (QUERIES * K), 4),
        results_outside_visibility: leaked,
        p50_ms: round(pct(rareLatency, 0.5)),
        p99_ms: round(pct(rareLatency, 0.99)),
      },
      targets: { p99_ratio_at_most: 1.5, recall_at_10: 1 },
    }),
  );
} finally {
  http.close();
  child.kill("SIGTERM");
  await new Promise((resolve) => child.once("exit", resolve));
  await rm(dataDir, { recursive: true, force: true });
}
