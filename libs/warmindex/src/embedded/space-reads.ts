import type { BoundFilterNode } from "@strata/filter";
import { isMatchAll, isMatchNothing, simplify, toPredicate } from "@strata/filter";
import type { DocRef, Hit, HotSearch, StoredVector } from "@strata/hotindex";
import { norm, slotScorer, TopK } from "@strata/hotindex";
import type { DecodedSegment } from "./segment-codec.js";
import { refKey, type SpaceState } from "./space-state.js";

type Accept = (segment: DecodedSegment, slot: number) => boolean;

/**
 * Which records a read may see: the filter is evaluated on each payload before scoring (pushed down,
 * so the answer is the top-k among matching vectors), the collection restriction likewise.
 * Undefined when the filter can match nothing.
 */
function acceptor(
  filter: BoundFilterNode | undefined,
  collectionIds: readonly string[] | undefined,
): Accept | undefined {
  const simple = filter ? simplify(filter) : undefined;
  if (simple && isMatchNothing(simple)) return undefined;
  const predicate = simple && !isMatchAll(simple) ? toPredicate(simple) : undefined;
  const collections = collectionIds ? new Set(collectionIds) : undefined;
  return (segment, slot) =>
    (!collections || collections.has(segment.collections[slot] ?? "")) &&
    (!predicate || predicate(segment.payloads[slot] as Record<string, unknown>));
}

/** Exact top-k over every live record: scores from the hot index's own scorer, so they equal `exactScore`. */
export async function searchState(state: SpaceState, query: HotSearch): Promise<Hit[]> {
  const accept = acceptor(query.filter, query.collectionIds);
  if (!accept) return [];
  const vector = query.vector instanceof Float32Array ? query.vector : Float32Array.from(query.vector);
  const queryNorm = norm(vector);
  const threshold = query.scoreThreshold ?? Number.NEGATIVE_INFINITY;
  const top = new TopK(query.k);
  const scanned: { base: number; decoded: DecodedSegment }[] = [];
  let base = 0;
  for (const segment of state.segments) {
    const segmentBase = base;
    base += segment.ref.records;
    if (segment.liveCount === 0) continue;
    const decoded = await state.decoded(segment);
    scanned.push({ base: segmentBase, decoded });
    const score = slotScorer(decoded, state.space.metric, vector, queryNorm);
    for (let slot = 0; slot < decoded.count; slot++) {
      if (segment.live[slot] !== 1 || !accept(decoded, slot)) continue;
      const s = score(slot);
      if (s >= threshold) top.push(s, segmentBase + slot);
    }
  }
  return top.sorted().map(({ score, slot }) => {
    const owner = ownerOf(scanned, slot);
    const at = slot - owner.base;
    return {
      id: owner.decoded.ids[at] ?? "",
      collectionId: owner.decoded.collections[at] ?? "",
      score,
      payload: owner.decoded.payloads[at] ?? {},
    };
  });
}

export async function countState(
  state: SpaceState,
  filter: BoundFilterNode | undefined,
  collectionIds: readonly string[] | undefined,
): Promise<number> {
  if (!filter && !collectionIds) return state.count;
  const accept = acceptor(filter, collectionIds);
  if (!accept) return 0;
  let n = 0;
  for (const segment of state.segments) {
    if (segment.liveCount === 0) continue;
    const decoded = await state.decoded(segment);
    for (let slot = 0; slot < decoded.count; slot++)
      if (segment.live[slot] === 1 && accept(decoded, slot)) n++;
  }
  return n;
}

/** The stored vectors in the order asked; unknown refs are left out. */
export async function getState(state: SpaceState, refs: readonly DocRef[]): Promise<StoredVector[]> {
  const out: StoredVector[] = [];
  for (const ref of refs) {
    const at = state.locations.get(refKey(ref.collectionId, ref.id));
    if (at) out.push(await state.record(at));
  }
  return out;
}

function ownerOf(
  scanned: readonly { base: number; decoded: DecodedSegment }[],
  slot: number,
): { base: number; decoded: DecodedSegment } {
  let lo = 0;
  let hi = scanned.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((scanned[mid]?.base ?? 0) <= slot) lo = mid;
    else hi = mid - 1;
  }
  const owner = scanned[lo];
  if (!owner) throw new Error(`no segment holds slot ${slot}`);
  return owner;
}
