import { randomUUID } from "node:crypto";
import type { BoundFilterNode } from "@strata/filter";
import { toPredicate } from "@strata/filter";
import { expect } from "vitest";
import type { Hit, HotIndex, HotRecord, HotSpace, Metric } from "../port.js";
import { exactScore } from "../scoring.js";

export interface HotIndexContractOptions {
  /** An index opened again (after `close`) sees what the closed one wrote. */
  readonly persistent?: boolean;
  /** The adapter reports graph progress in `stats().spaces[].indexed` (the embedded one does). */
  readonly reportsIndexing?: boolean;
  /** Staged writes stay invisible until committed and are listed while unsettled (ADR 0013). */
  readonly stagesInvisibly?: boolean;
}

/**
 * Opens the index behind `store`: the same name again (after `close`) must give the same data when
 * the adapter is persistent. Adapters on a shared server may ignore the name (every test uses its
 * own namespace).
 */
export type OpenHotIndex = (store: string) => Promise<HotIndex>;

/** A space of its own for each test, so a shared directory or server is fine. */
export function freshSpace(
  metric: Metric = "cosine",
  dimensions = 16,
  featureUri = "strata://test@v1/embedding",
): HotSpace {
  return { namespaceId: `ns_${randomUUID().slice(0, 12)}`, featureUri, dimensions, metric };
}

export function unwrap<T>(result: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.value;
}

export interface Expected {
  readonly id: string;
  readonly collectionId: string;
  readonly score: number;
}

/** The brute-force answer every adapter must give: exact scores, best first, ties by id. */
export function referenceSearch(
  records: readonly HotRecord[],
  metric: Metric,
  query: ArrayLike<number>,
  k: number,
  filter?: BoundFilterNode,
  collectionIds?: readonly string[],
  scoreThreshold?: number,
): Expected[] {
  const predicate = filter ? toPredicate(filter) : () => true;
  return records
    .filter((r) => predicate(r.payload as Record<string, unknown>))
    .filter((r) => !collectionIds || collectionIds.includes(r.collectionId))
    .map((r) => ({ id: r.id, collectionId: r.collectionId, score: exactScore(metric, query, r.vector) }))
    .filter((r) => scoreThreshold === undefined || r.score >= scoreThreshold)
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, k);
}

export function closeTo(actual: number, expected: number, tolerance = 1e-5): boolean {
  return Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected));
}

/** Same hits in the same order with the same scores (within 1e-5, relative above 1). */
export function expectSameHits(actual: readonly Hit[], expected: readonly Expected[]): void {
  expect(actual.map((h) => `${h.collectionId}/${h.id}`)).toEqual(
    expected.map((e) => `${e.collectionId}/${e.id}`),
  );
  actual.forEach((h, i) => {
    const e = expected[i];
    if (!e || !closeTo(h.score, e.score)) {
      throw new Error(`score of ${h.id}: ${h.score}, expected ${e?.score}`);
    }
  });
}

/** Random vectors with components in [-1, 1), deterministic per seed. */
export function randomRecords(
  count: number,
  dimensions: number,
  seed: number,
  make: (i: number) => { collectionId?: string; payload?: Record<string, unknown> } = () => ({}),
): HotRecord[] {
  let state = seed >>> 0;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  return Array.from({ length: count }, (_, i) => {
    const vector = new Float32Array(dimensions);
    for (let d = 0; d < dimensions; d++) vector[d] = random() * 2 - 1;
    const extra = make(i);
    return {
      id: `doc_${i}`,
      collectionId: extra.collectionId ?? "col_a",
      vector,
      payload: extra.payload ?? {},
    };
  });
}

export async function upsertAll(
  index: HotIndex,
  space: HotSpace,
  records: readonly HotRecord[],
  batch = 1000,
): Promise<void> {
  for (let i = 0; i < records.length; i += batch)
    unwrap(await index.upsert(space, records.slice(i, i + batch)));
}
