import { readObject } from "@strata/coldstore";
import type { DocRef, HotRecord } from "@strata/hotindex";
import type { ObjectStore } from "@strata/objectstore";
import type { WarmSpace } from "../port.js";
import type { Manifest, SegmentRef, SpaceLayout } from "./layout.js";
import { emptyManifest, parseManifest } from "./layout.js";
import type { SegmentCache } from "./segment-cache.js";
import { type DecodedSegment, decodeSegment } from "./segment-codec.js";

/** A segment of the manifest with which of its records are still live (kept in memory, 1 byte each). */
export interface LiveSegment {
  readonly ref: SegmentRef;
  readonly key: string;
  readonly live: Uint8Array;
  liveCount: number;
}

interface Location {
  readonly segment: LiveSegment;
  readonly slot: number;
}

/** A segment object that is missing or fails its checksum: the space cannot be read correctly. */
export class SegmentUnreadable extends Error {}

/** The key of a vector: document ids are unique per collection only. */
export function refKey(collectionId: string, id: string): string {
  return `${collectionId}\u0000${id}`;
}

export function collectionOfKey(key: string): string {
  return key.slice(0, key.indexOf("\u0000"));
}

/**
 * One warm space in memory: its manifest, which record of which segment is live, and where each
 * live vector sits. Built by replaying the segments oldest first (tombstones, then records, per
 * segment); the decoded segments themselves go through the shared cache.
 */
export class SpaceState {
  private constructor(
    readonly space: WarmSpace,
    readonly layout: SpaceLayout,
    private readonly store: ObjectStore,
    private readonly cache: SegmentCache,
    public manifest: Manifest,
    public segments: LiveSegment[],
    readonly locations: Map<string, Location>,
  ) {}

  /** The space as stored, or undefined when it has no manifest (never written). */
  static async load(
    store: ObjectStore,
    cache: SegmentCache,
    layout: SpaceLayout,
    space: WarmSpace,
  ): Promise<SpaceState | undefined> {
    const bytes = await readObject(store, layout.manifestKey);
    if (bytes === undefined) return undefined;
    const manifest = parseManifest(bytes);
    if (!manifest) throw new SegmentUnreadable(`warm manifest ${layout.manifestKey} is unreadable`);
    const state = new SpaceState(space, layout, store, cache, manifest, [], new Map());
    for (const ref of manifest.segments) {
      const segment = state.track(ref);
      state.apply(segment, await state.decoded(segment));
    }
    await state.removeOrphans();
    return state;
  }

  static empty(store: ObjectStore, cache: SegmentCache, layout: SpaceLayout, space: WarmSpace): SpaceState {
    return new SpaceState(space, layout, store, cache, emptyManifest(space), [], new Map());
  }

  get count(): number {
    return this.locations.size;
  }

  segmentKey(name: string): string {
    return `${this.layout.segmentPrefix}${name}`;
  }

  /** A new segment entry, not yet applied (every record starts dead until `apply`). */
  track(ref: SegmentRef): LiveSegment {
    return { ref, key: this.segmentKey(ref.name), live: new Uint8Array(ref.records), liveCount: 0 };
  }

  /** Replays one segment on top of the current state: its tombstones, then its records. */
  apply(segment: LiveSegment, decoded: DecodedSegment): void {
    for (const t of decoded.tombstones) this.kill(refKey(t.collectionId, t.id));
    for (let slot = 0; slot < decoded.count; slot++) {
      const key = refKey(decoded.collections[slot] ?? "", decoded.ids[slot] ?? "");
      this.kill(key);
      this.locations.set(key, { segment, slot });
      segment.live[slot] = 1;
      segment.liveCount++;
    }
    this.segments.push(segment);
  }

  kill(key: string): boolean {
    const at = this.locations.get(key);
    if (!at) return false;
    at.segment.live[at.slot] = 0;
    at.segment.liveCount--;
    this.locations.delete(key);
    return true;
  }

  /** The decoded segment, from the cache or (on a miss) from the ObjectStore. */
  async decoded(segment: LiveSegment): Promise<DecodedSegment> {
    const cached = this.cache.get(segment.key);
    if (cached) return cached;
    const bytes = await readObject(this.store, segment.key);
    if (bytes === undefined) throw new SegmentUnreadable(`warm segment ${segment.key} is missing`);
    const decoded = decodeSegment(bytes);
    if (typeof decoded === "string") throw new SegmentUnreadable(`warm segment ${segment.key}: ${decoded}`);
    this.cache.set(segment.key, decoded);
    return decoded;
  }

  /** The live record at a location, as a record (vector copied: callers may keep it). */
  async record(location: Location): Promise<HotRecord & { vector: Float32Array }> {
    const decoded = await this.decoded(location.segment);
    return {
      id: decoded.ids[location.slot] ?? "",
      collectionId: decoded.collections[location.slot] ?? "",
      vector: decoded.vector(location.slot).slice(),
      payload: decoded.payloads[location.slot] ?? {},
    };
  }

  liveRefs(where: (key: string) => boolean): DocRef[] {
    const refs: DocRef[] = [];
    for (const key of this.locations.keys()) {
      if (!where(key)) continue;
      const split = key.indexOf("\u0000");
      refs.push({ collectionId: key.slice(0, split), id: key.slice(split + 1) });
    }
    return refs;
  }

  /**
   * Segments a crash left between their write and the manifest's (never committed). One writer per
   * space (ADR 0022), so anything unlisted at load time is garbage.
   */
  private async removeOrphans(): Promise<void> {
    const listed = new Set(this.segments.map((s) => s.key));
    let cursor: string | undefined;
    do {
      const page = await this.store.list(this.layout.segmentPrefix, {
        limit: 1000,
        ...(cursor ? { cursor } : {}),
      });
      for (const item of page.items) if (!listed.has(item.key)) await this.store.delete(item.key);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
}
