import type { DocRef, HotRecord } from "@strata/hotindex";
import type { ObjectStore } from "@strata/objectstore";
import type { Manifest, SegmentRef } from "./layout.js";
import { segmentName } from "./layout.js";
import type { SegmentCache } from "./segment-cache.js";
import { encodeSegment } from "./segment-codec.js";
import { type LiveSegment, refKey, type SpaceState } from "./space-state.js";

export interface CompactionOptions {
  /** Records per segment written by compaction (and the size below which a segment counts as small). */
  readonly maxSegmentRecords: number;
  /** More small segments than this (or more dead records than live ones) triggers a compaction. */
  readonly maxSmallSegments: number;
}

interface WriteContext {
  readonly store: ObjectStore;
  readonly cache: SegmentCache;
}

/**
 * Writes one segment holding every record of the call (one object per upsert, never one per vector),
 * then the manifest naming it: the manifest write is the commit point, so a crash in between leaves
 * an unlisted segment that the next load deletes.
 */
export async function upsertRecords(
  ctx: WriteContext,
  state: SpaceState,
  records: readonly HotRecord[],
): Promise<void> {
  const unique = [...new Map(records.map((r) => [refKey(r.collectionId, r.id), r])).values()];
  const added = unique.filter((r) => !state.locations.has(refKey(r.collectionId, r.id))).length;
  await commitSegments(ctx, state, [{ records: unique, tombstones: [] }], state.count + added, []);
}

/** Tombstones for the refs that are live; resolves with how many that was (nothing written if none). */
export async function deleteRefs(
  ctx: WriteContext,
  state: SpaceState,
  refs: readonly DocRef[],
): Promise<number> {
  const unique = [...new Map(refs.map((r) => [refKey(r.collectionId, r.id), r])).values()];
  const live = unique.filter((r) => state.locations.has(refKey(r.collectionId, r.id)));
  if (live.length === 0) return 0;
  await commitSegments(ctx, state, [{ records: [], tombstones: live }], state.count - live.length, []);
  return live.length;
}

/**
 * Merges the small and the mostly dead segments into new full ones appended at the end (their
 * records are the newest version of their keys, so moving them later changes nothing). Tombstones
 * are carried only for keys that are not live, since they may still hide a record in a segment
 * that stays; a tombstone for a key live again would wrongly kill it once moved to the end.
 * `purge` (a collection delete) rewrites every segment holding a dead record, so deleted vectors
 * leave the store before the call resolves; no segment that stays then hides anything, so no
 * tombstone is carried.
 */
export async function compactIfNeeded(
  ctx: WriteContext,
  state: SpaceState,
  options: CompactionOptions,
  purge = false,
): Promise<void> {
  const small = (s: LiveSegment) => s.liveCount < options.maxSegmentRecords / 2;
  const mostlyDead = (s: LiveSegment) => s.liveCount * 2 < s.ref.records;
  const holdsDead = (s: LiveSegment) => s.liveCount < s.ref.records || s.ref.records === 0;
  let candidates: LiveSegment[];
  if (purge) {
    candidates = state.segments.filter(holdsDead);
    if (candidates.length === 0) return;
  } else {
    const slots = state.segments.reduce((n, s) => n + s.ref.records, 0);
    const smallCount = state.segments.filter(small).length;
    if (smallCount <= options.maxSmallSegments && slots - state.count <= state.count) return;
    candidates = state.segments.filter((s) => small(s) || mostlyDead(s));
    if (candidates.length < 2 && !candidates.some(mostlyDead)) return;
  }
  const records: HotRecord[] = [];
  const tombstones = new Map<string, DocRef>();
  for (const segment of candidates) {
    const decoded = await state.decoded(segment);
    for (let slot = 0; slot < decoded.count; slot++) {
      if (segment.live[slot] !== 1) continue;
      records.push({
        id: decoded.ids[slot] ?? "",
        collectionId: decoded.collections[slot] ?? "",
        vector: decoded.vector(slot),
        payload: decoded.payloads[slot] ?? {},
      });
    }
    for (const t of decoded.tombstones) {
      const key = refKey(t.collectionId, t.id);
      if (!state.locations.has(key)) tombstones.set(key, t);
    }
  }
  // With no older segment left (or none holding a dead record), nothing remains for a tombstone to hide.
  const keepsTombstones = !purge && candidates.length < state.segments.length;
  const batches: { records: HotRecord[]; tombstones: DocRef[] }[] = [];
  for (let i = 0; i < records.length; i += options.maxSegmentRecords) {
    batches.push({ records: records.slice(i, i + options.maxSegmentRecords), tombstones: [] });
  }
  const carried = keepsTombstones ? [...tombstones.values()] : [];
  if (carried.length > 0) {
    if (batches[0]) batches[0].tombstones = carried;
    else batches.push({ records: [], tombstones: carried });
  }
  await commitSegments(ctx, state, batches, state.count, candidates);
  for (const old of candidates) {
    await ctx.store.delete(old.key);
    ctx.cache.evict(old.key);
  }
}

/**
 * Writes the batches as new segments, then one manifest that drops `replaced` and lists the new
 * segments last; only then changes the in-memory state (a failed write leaves it as it was).
 */
async function commitSegments(
  ctx: WriteContext,
  state: SpaceState,
  batches: readonly { records: readonly HotRecord[]; tombstones: readonly DocRef[] }[],
  count: number,
  replaced: readonly LiveSegment[],
): Promise<void> {
  let sequence = state.manifest.nextSequence;
  const written: { ref: SegmentRef; segment: ReturnType<typeof encodeSegment>["segment"] }[] = [];
  for (const batch of batches) {
    const { bytes, segment } = encodeSegment(state.space.dimensions, batch.records, batch.tombstones);
    const ref = { name: segmentName(sequence++), records: batch.records.length };
    const put = await ctx.store.put(state.segmentKey(ref.name), bytes);
    if (!put.ok) throw new Error(`warm segment write failed: ${put.error}`);
    written.push({ ref, segment });
  }
  const gone = new Set(replaced);
  const kept = state.segments.filter((s) => !gone.has(s));
  const manifest: Manifest = {
    ...state.manifest,
    nextSequence: sequence,
    count,
    segments: [...kept.map((s) => s.ref), ...written.map((w) => w.ref)],
  };
  const put = await ctx.store.put(state.layout.manifestKey, Buffer.from(JSON.stringify(manifest)), {
    contentType: "application/json",
  });
  if (!put.ok) throw new Error(`warm manifest write failed: ${put.error}`);
  state.manifest = manifest;
  state.segments = kept;
  for (const { ref, segment } of written) {
    const live = state.track(ref);
    ctx.cache.set(live.key, segment);
    state.apply(live, segment);
  }
}
