import type { BoundFilterNode } from "@strata/filter";
import { isMatchAll, isMatchNothing, simplify, toPredicate } from "@strata/filter";
import type { HotSearch, Metric } from "../port.js";
import { norm } from "../scoring.js";
import { scanRange, scanSlots, slotScorer } from "./exact-scan.js";
import type { FieldIndex } from "./field-index.js";
import type { HnswGraph } from "./hnsw-graph.js";
import { scanAllInRange } from "./native-scan.js";
import { probeSampleOf, sampleBeats } from "./probe-sample.js";
import { TopK } from "./top-k.js";
import type { VectorTable } from "./vector-table.js";

/** What a search reads; the space owns these and keeps them consistent. */
export interface SearchableSpace {
  readonly metric: Metric;
  readonly table: VectorTable;
  readonly fields: FieldIndex;
  readonly graph: HnswGraph;
  /** Every live slot below this is in the graph; slots from here on are the appendable segment. */
  readonly indexedUpTo: number;
  /** Fraction of graph nodes that are dead vectors (filtered out, so more candidates are fetched). */
  readonly deadFraction: number;
}

export interface PlannerOptions {
  /** Scan exactly when at most this many vectors can match… */
  readonly exactScanMin: number;
  /** …or at most this fraction of the space (whichever allows more, up to `exactScanMax`). */
  readonly exactScanFraction: number;
  readonly exactScanMax: number;
}

export const DEFAULT_PLANNER: PlannerOptions = {
  exactScanMin: 5_000,
  exactScanFraction: 0.05,
  exactScanMax: 50_000,
};

/** Most graph candidates fetched for one query before giving up on the graph and scanning. */
const MAX_GRAPH_CANDIDATES = 4_096;
const SAMPLE = 1_024;
/** Evenly spread graph nodes scored exactly to check each graph answer (see `graphMissed`). */
const PROBE_SAMPLE = 1_024;

export type SearchPath = "exact_candidates" | "exact_full" | "graph";

export interface Ranked {
  readonly slot: number;
  readonly score: number;
}

/**
 * Plans and runs one search, the way Qdrant's query planner does: when the filter is selective
 * (few candidates from the field postings, or few matches in a sample) the matching vectors are
 * scored exactly — a filtered graph walk would be slower and can miss results; otherwise the graph
 * is searched with enough extra candidates for the filter's selectivity, the appendable segment is
 * scanned exactly, and if fewer than k matches come back — or an exactly scored sample of the graph
 * beats what the walk found — the whole space is scanned exactly.
 * Either way every score is exact, and k matches are returned whenever k exist.
 */
export function searchSpace(
  space: SearchableSpace,
  query: HotSearch,
  planner: PlannerOptions,
): { ranked: Ranked[]; path: SearchPath } {
  const { table, graph } = space;
  // The usual case — one collection owns the whole space — needs no collection check per vector.
  if (query.collectionIds !== undefined && table.coversAllCollections(query.collectionIds)) {
    const { collectionIds: _all, ...unrestricted } = query;
    return searchSpace(space, unrestricted, planner);
  }
  const vector = query.vector instanceof Float32Array ? query.vector : Float32Array.from(query.vector);
  const score = slotScorer(table, space.metric, vector, norm(vector));
  const filter = query.filter ? simplify(query.filter) : undefined;
  if (filter && isMatchNothing(filter)) return { ranked: [], path: "exact_candidates" };
  const accept = acceptor(table, filter, query.collectionIds);
  const top = new TopK(query.k);
  const live = table.liveCount;
  const exactLimit = Math.min(
    planner.exactScanMax,
    Math.max(planner.exactScanMin, live * planner.exactScanFraction),
  );
  const finish = (path: SearchPath) => ({ ranked: withThreshold(top, query.scoreThreshold), path });

  const candidates = candidateSlots(space, filter, query.collectionIds);
  if (candidates && candidates.length <= exactLimit) {
    scanSlots(candidates, accept, score, top);
    return finish("exact_candidates");
  }
  const restricted = (filter !== undefined && !isMatchAll(filter)) || query.collectionIds !== undefined;
  const selectivity = !restricted
    ? 1
    : candidates
      ? candidates.length / Math.max(1, live)
      : sampleSelectivity(table, accept);
  // Every live slot is wanted: the native scan finds the candidates (see native-scan.ts).
  const scan = (from: number, into: TopK) =>
    restricted
      ? scanRange(from, table.slotCount, accept, score, into)
      : scanAllInRange(table, space.metric, vector, { from, to: table.slotCount }, accept, score, into);
  if (live <= exactLimit || selectivity * live <= exactLimit) {
    scan(0, top);
    return finish("exact_full");
  }
  const alive = Math.max(0.05, 1 - space.deadFraction);
  let want = Math.min(MAX_GRAPH_CANDIDATES, Math.ceil((query.k * 2 + 40) / (selectivity * alive)));
  for (;;) {
    const attempt = new TopK(query.k);
    const found = graph.search(vector, want);
    scanSlots(found, accept, score, attempt);
    scan(space.indexedUpTo, attempt);
    if (attempt.length >= query.k) {
      if (graphMissed(space, vector, found, attempt.floor, accept, score)) break;
      for (const r of attempt.sorted()) top.push(r.score, r.slot);
      return finish("graph");
    }
    // Fewer than k: either fewer exist, or the graph's neighbourhood had too few matches.
    if (found.length < want || want >= MAX_GRAPH_CANDIDATES) break;
    want = Math.min(MAX_GRAPH_CANDIDATES, want * 4);
  }
  scan(0, top);
  return finish("exact_full");
}

/**
 * Whether a node of an evenly spread sample of the graph matches and scores above the k-th result
 * the walk found: then that answer is provably not the top k. This is how a walk captured by a dense
 * region shows. Vectors added as one tight cluster link almost only to each other (every candidate
 * an insert sees is in the cluster, so the neighbour selection keeps no way out); a query that is
 * nearer to older vectors but is routed into the cluster then returns k cluster members and misses
 * its true neighbours entirely (issue 8, finding 7). Neither a larger insert beam nor another insert
 * order gives the cluster links out (measured: README), so the answer is checked instead.
 */
function graphMissed(
  space: SearchableSpace,
  vector: Float32Array,
  found: readonly number[],
  floor: number,
  accept: (slot: number) => boolean,
  score: (slot: number) => number,
): boolean {
  const sample = probeSampleOf(space.table, space.metric, space.indexedUpTo, PROBE_SAMPLE);
  // Asked only of a slot that scores above the floor, which is rare: a linear search of the walk's
  // few candidates is cheaper than building a set of them for every query.
  return sampleBeats(sample, vector, floor, (slot) => !found.includes(slot) && accept(slot), score);
}

/** Exact count of live vectors matching the filter and collections. */
export function countSpace(
  space: SearchableSpace,
  filter: BoundFilterNode | undefined,
  collectionIds: readonly string[] | undefined,
): number {
  const simple = filter ? simplify(filter) : undefined;
  if (simple && isMatchNothing(simple)) return 0;
  const { table } = space;
  if (collectionIds !== undefined && table.coversAllCollections(collectionIds)) {
    return countSpace(space, filter, undefined);
  }
  if ((!simple || isMatchAll(simple)) && !collectionIds) return table.liveCount;
  const accept = acceptor(table, simple, collectionIds);
  const candidates = candidateSlots(space, simple, collectionIds);
  let n = 0;
  if (candidates) {
    for (const slot of new Set(candidates)) if (accept(slot)) n++;
  } else {
    for (let slot = 0; slot < table.slotCount; slot++) if (accept(slot)) n++;
  }
  return n;
}

function acceptor(
  table: VectorTable,
  filter: BoundFilterNode | undefined,
  collectionIds: readonly string[] | undefined,
): (slot: number) => boolean {
  const predicate = filter && !isMatchAll(filter) ? toPredicate(filter) : undefined;
  const collections = collectionIds ? new Set(collectionIds) : undefined;
  return (slot) =>
    table.isAlive(slot) &&
    (!collections || collections.has(table.collectionOf(slot))) &&
    (!predicate || predicate(table.payloadOf(slot)));
}

/** The smaller of the collection restriction and the filter's postings (both supersets). */
function candidateSlots(
  space: SearchableSpace,
  filter: BoundFilterNode | undefined,
  collectionIds: readonly string[] | undefined,
): readonly number[] | undefined {
  const fromFilter = filter && !isMatchAll(filter) ? space.fields.candidates(filter) : undefined;
  const fromCollections = collectionIds ? space.table.slotsOfCollections(collectionIds) : undefined;
  if (fromFilter && fromCollections)
    return fromFilter.length <= fromCollections.length ? fromFilter : fromCollections;
  return fromFilter ?? fromCollections;
}

/** The fraction of live vectors that match, from an evenly spread sample (at least 1/SAMPLE² so it is never 0). */
function sampleSelectivity(table: VectorTable, accept: (slot: number) => boolean): number {
  const step = Math.max(1, Math.floor(table.slotCount / SAMPLE));
  let seen = 0;
  let matched = 0;
  for (let slot = 0; slot < table.slotCount; slot += step) {
    if (!table.isAlive(slot)) continue;
    seen++;
    if (accept(slot)) matched++;
  }
  if (seen === 0) return 1;
  return Math.max(matched / seen, 1 / (SAMPLE * SAMPLE));
}

function withThreshold(top: TopK, threshold: number | undefined): Ranked[] {
  const all = top.sorted();
  return threshold === undefined ? all : all.filter((r) => r.score >= threshold);
}
