import { BruteForceCosine, clusteredVectors } from "@strata/hotindex";
import type { httpClient } from "./http-json.js";

/**
 * The search benchmark's workload, shared by `bench:search` (one platform) and `bench:search:ab`
 * (this checkout against another, queried in turns): the clustered vectors, the exact answers, the
 * batch bodies, and the calls that load a platform and query it through its gateway.
 */
export const K = 10;
export const FEATURE = "strata://bench@v1/embedding";
/** The 1%-selective filter keeps `metadata.bucket eq 42`. */
export const SELECTIVE_BUCKET = 42;

export type VectorFormat = "b64" | "json";

export interface Workload {
  readonly count: number;
  readonly dims: number;
  /** How many query vectors; `truth` and `truthSelective` answer each exactly. */
  readonly queries: number;
  readonly queryVector: (q: number) => Float32Array;
  readonly truth: readonly string[][];
  readonly truthSelective: readonly string[][];
  readonly bruteMsPerQuery: number;
  /** The raw float32 vectors, row-major. */
  readonly data: Float32Array;
  readonly batchBody: (first: number, count: number, format: VectorFormat) => string;
}

export function searchWorkload(count: number, dims: number, queryCount: number): Workload {
  // The vectors, rounded to 6 decimals so the JSON stays compact; the brute force and the platform
  // then hold the very same float32 values.
  const generated = clusteredVectors({ count, dimensions: dims, clusters: 100, seed: 2026 });
  const rounded = Float64Array.from(generated.data, (x) => Math.round(x * 1e6) / 1e6);
  const data = Float32Array.from(rounded);
  const queries = generated.queries(queryCount, 7);
  const brute = new BruteForceCosine(data, dims);
  const bruteForce = (query: Float32Array, selective: boolean): string[] =>
    brute.topK(query, K, selective ? (i) => i % 100 === SELECTIVE_BUCKET : undefined).map((i) => `d${i}`);
  const bruteStart = performance.now();
  const truth = Array.from({ length: queryCount }, (_, q) => bruteForce(queries.vector(q), false));
  const bruteMsPerQuery = (performance.now() - bruteStart) / queryCount;
  const truthSelective = Array.from({ length: queryCount }, (_, q) => bruteForce(queries.vector(q), true));
  const batchBody = (first: number, size: number, format: VectorFormat): string => {
    const parts: string[] = [];
    for (let i = first; i < first + size; i++) {
      const floats = data.subarray(i * dims, (i + 1) * dims);
      const vector =
        format === "b64"
          ? `{"vector_b64":"${Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString("base64")}"}`
          : JSON.stringify(Array.prototype.slice.call(rounded.subarray(i * dims, (i + 1) * dims)));
      parts.push(
        `{"document_id":"d${i}","metadata":{"bucket":${i % 100}},"features":{"${FEATURE}":${vector}}}`,
      );
    }
    return `{"documents":[${parts.join(",")}]}`;
  };
  return {
    count,
    dims,
    queries: queryCount,
    queryVector: (q) => queries.vector(q),
    truth,
    truthSelective,
    bruteMsPerQuery,
    data,
    batchBody,
  };
}

export type Call = <T>(method: string, path: string, body?: unknown) => Promise<T>;

/** JSON calls to a gateway with an API key, in a namespace when one is given. */
export function gatewayCalls(http: ReturnType<typeof httpClient>, apiKey: string, namespace?: string): Call {
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = { authorization: `Bearer ${apiKey}` };
    if (namespace !== undefined) headers["x-namespace"] = namespace;
    if (body !== undefined) headers["content-type"] = "application/json";
    const payload = body === undefined || typeof body === "string" ? body : JSON.stringify(body);
    const answer = await http.request(method, path, headers, payload);
    if (answer.status >= 300)
      throw new Error(`${method} ${path} → ${answer.status}: ${answer.text.slice(0, 500)}`);
    return JSON.parse(answer.text) as T;
  };
}

/** A namespace and a collection of the workload's feature with `bucket` indexed. */
export async function prepareCollection(
  root: Call,
  inNamespace: (namespaceId: string) => Call,
  dims: number,
): Promise<{ readonly call: Call; readonly collectionId: string }> {
  const { namespace_id: namespaceId } = await root<{ namespace_id: string }>("POST", "/v1/namespaces", {
    namespace_name: "bench",
  });
  const call = inNamespace(namespaceId);
  const { collection_id: collectionId } = await call<{ collection_id: string }>("POST", "/v1/collections", {
    collection_name: "vectors",
    features: [{ feature_uri: FEATURE, dimensions: dims, metric: "cosine" }],
    metadata_schema: { type: "object", properties: { bucket: { type: "integer" } } },
    indexed_fields: ["bucket"],
  });
  return { call, collectionId };
}

/**
 * Submits the bodies `inFlight` batches at a time, each polled until it is completed; answers how
 * many items failed. Each body is dropped once sent (they are hundreds of megabytes at 100,000).
 */
export async function ingestBatches(
  call: Call,
  collectionId: string,
  bodies: Map<number, string>,
  inFlight: number,
): Promise<number> {
  let failedItems = 0;
  const ingestOne = async (first: number) => {
    const body = bodies.get(first) ?? "";
    bodies.delete(first);
    const { batch_id: batchId } = await call<{ batch_id: string }>(
      "POST",
      `/v1/collections/${collectionId}/documents/batch`,
      body,
    );
    for (;;) {
      const batch = await call<{ status: string; failed: number }>("GET", `/v1/batches/${batchId}`);
      if (batch.status === "completed" || batch.status === "failed") {
        failedItems += batch.failed;
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const queue = [...bodies.keys()];
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      for (let first = queue.shift(); first !== undefined; first = queue.shift()) await ingestOne(first);
    }),
  );
  return failedItems;
}

/** Waits until the collection's graph holds all `count` vectors (GET /v1/collections/{id}). */
export async function waitForGraph(call: Call, collectionId: string, count: number): Promise<void> {
  const start = performance.now();
  for (;;) {
    const info = await call<{ vector_index: Array<{ vectors: number; pending: number }> }>(
      "GET",
      `/v1/collections/${collectionId}`,
    );
    const [stats] = info.vector_index;
    if (stats !== undefined && stats.pending === 0 && stats.vectors === count) return;
    if (performance.now() - start > 900_000) throw new Error("the graph was not built in 15 minutes");
    await new Promise((r) => setTimeout(r, 250));
  }
}

export interface QueryAnswer {
  readonly ms: number;
  readonly ids: string[];
  readonly fromHot: number;
}

/** A top-K retriever over the collection, and one timed execution of it. */
export async function benchRetriever(
  call: Call,
  collectionId: string,
): Promise<(vector: Float32Array, selective: boolean) => Promise<QueryAnswer>> {
  const { retriever_id: retrieverId } = await call<{ retriever_id: string }>("POST", "/v1/retrievers", {
    retriever_name: "bench",
    collection_ids: [collectionId],
    feature_uri: FEATURE,
    top_k: K,
  });
  return async (query, selective) => {
    const vector = Array.from(query, (x) => Math.round(x * 1e6) / 1e6);
    const started = performance.now();
    const answer = await call<{ results: Array<{ document_id: string; _source_tier: string }> }>(
      "POST",
      `/v1/retrievers/${retrieverId}/execute`,
      {
        query: { vector },
        top_k: K,
        ...(selective
          ? { filters: { AND: [{ field: "metadata.bucket", operator: "eq", value: SELECTIVE_BUCKET }] } }
          : {}),
      },
    );
    return {
      ms: performance.now() - started,
      ids: answer.results.map((r) => r.document_id),
      fromHot: answer.results.filter((r) => r._source_tier === "hot").length,
    };
  };
}

/** Latency percentiles and recall@K of a set of answers against the exact ones. */
export function querySummary(
  answers: readonly { readonly q: number; readonly answer: QueryAnswer }[],
  expected: readonly string[][],
): {
  p50_ms: number;
  p99_ms: number;
  recall_at_10: number;
  results: number;
  results_from_hot_tier: number;
} {
  const latencies = answers.map((a) => a.answer.ms).sort((a, b) => a - b);
  let found = 0;
  let returned = 0;
  let fromHot = 0;
  for (const { q, answer } of answers) {
    const want = new Set(expected[q]);
    found += answer.ids.filter((id) => want.has(id)).length;
    returned += answer.ids.length;
    fromHot += answer.fromHot;
  }
  return {
    p50_ms: round(percentile(latencies, 0.5)),
    p99_ms: round(percentile(latencies, 0.99)),
    recall_at_10: round(found / (answers.length * K), 4),
    results: returned,
    results_from_hot_tier: fromHot,
  };
}

export const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

export const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
