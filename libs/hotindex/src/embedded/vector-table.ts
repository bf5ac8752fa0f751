import type { DocRef, StoredVector } from "../port.js";
import { norm } from "../scoring.js";

/** Vectors per chunk: chunks avoid re-allocating (and briefly doubling) one huge array on growth. */
export const CHUNK_SHIFT = 12;
export const CHUNK_SIZE = 1 << CHUNK_SHIFT;
const CHUNK_MASK = CHUNK_SIZE - 1;

/** The internal key of a vector: document ids are unique per collection only. */
export function refKey(collectionId: string, id: string): string {
  return `${collectionId}\u0000${id}`;
}

/**
 * Every vector of a space, by slot, in float32 chunks (the only copy of the full-precision vectors;
 * the graph keeps a half-precision one). Slots are handed out in write order and never reused, so
 * replaying the log gives the same slots, which is what the graph snapshot refers to. A replaced or
 * deleted vector leaves a tombstone (`alive[slot] = 0`).
 */
export class VectorTable {
  readonly dimensions: number;
  private readonly chunks: Float32Array[] = [];
  private norms = new Float64Array(CHUNK_SIZE);
  private aliveFlags = new Uint8Array(CHUNK_SIZE);
  private readonly ids: string[] = [];
  private readonly collections: string[] = [];
  private readonly payloads: (Readonly<Record<string, unknown>> | undefined)[] = [];
  private readonly bySlotKey = new Map<string, number>();
  /** Slots per collection, dead ones included (filtered on use, pruned when mostly dead). */
  private readonly byCollection = new Map<string, number[]>();
  private slots = 0;
  private live = 0;

  constructor(dimensions: number) {
    this.dimensions = dimensions;
  }

  get slotCount(): number {
    return this.slots;
  }

  get liveCount(): number {
    return this.live;
  }

  /** Appends a vector (bytes: float32 little-endian) and tombstones the one it replaces. */
  append(
    collectionId: string,
    id: string,
    payload: Readonly<Record<string, unknown>>,
    bytes: Uint8Array,
  ): { slot: number; replaced: number | undefined } {
    const slot = this.slots;
    const chunkIndex = slot >>> CHUNK_SHIFT;
    if (chunkIndex === this.chunks.length) this.chunks.push(new Float32Array(CHUNK_SIZE * this.dimensions));
    if (slot >= this.norms.length) {
      this.norms = grow(this.norms, this.norms.length * 2);
      this.aliveFlags = grow(this.aliveFlags, this.aliveFlags.length * 2);
    }
    const target = this.vector(slot);
    new Uint8Array(target.buffer, target.byteOffset, target.byteLength).set(bytes);
    this.norms[slot] = norm(target);
    this.aliveFlags[slot] = 1;
    this.ids.push(id);
    this.collections.push(collectionId);
    this.payloads.push(payload);
    this.slots++;
    this.live++;
    const key = refKey(collectionId, id);
    const replaced = this.bySlotKey.get(key);
    if (replaced !== undefined) this.kill(replaced);
    this.bySlotKey.set(key, slot);
    const list = this.byCollection.get(collectionId);
    if (list) list.push(slot);
    else this.byCollection.set(collectionId, [slot]);
    return { slot, replaced };
  }

  /** Tombstones the vector; returns its slot, or undefined when it did not exist. */
  remove(collectionId: string, id: string): number | undefined {
    const key = refKey(collectionId, id);
    const slot = this.bySlotKey.get(key);
    if (slot === undefined) return undefined;
    this.bySlotKey.delete(key);
    this.kill(slot);
    return slot;
  }

  /** Tombstones every vector of the collection; returns their slots. */
  removeCollection(collectionId: string): number[] {
    const removed: number[] = [];
    for (const slot of this.byCollection.get(collectionId) ?? []) {
      if (this.aliveFlags[slot] !== 1) continue;
      this.bySlotKey.delete(refKey(collectionId, this.ids[slot] ?? ""));
      this.kill(slot);
      removed.push(slot);
    }
    this.byCollection.delete(collectionId);
    return removed;
  }

  slotOf(collectionId: string, id: string): number | undefined {
    return this.bySlotKey.get(refKey(collectionId, id));
  }

  isAlive(slot: number): boolean {
    return this.aliveFlags[slot] === 1;
  }

  /** A view (not a copy) of the slot's vector. */
  vector(slot: number): Float32Array {
    const chunk = this.chunks[slot >>> CHUNK_SHIFT];
    if (!chunk) throw new Error(`slot ${slot} out of range`);
    const start = (slot & CHUNK_MASK) * this.dimensions;
    return chunk.subarray(start, start + this.dimensions);
  }

  /** The chunk holding `slot` and the slot's float offset in it (for tight scan loops). */
  chunkOf(slot: number): Float32Array {
    const chunk = this.chunks[slot >>> CHUNK_SHIFT];
    if (!chunk) throw new Error(`slot ${slot} out of range`);
    return chunk;
  }

  offsetOf(slot: number): number {
    return (slot & CHUNK_MASK) * this.dimensions;
  }

  normOf(slot: number): number {
    return this.norms[slot] ?? 0;
  }

  idOf(slot: number): string {
    return this.ids[slot] ?? "";
  }

  collectionOf(slot: number): string {
    return this.collections[slot] ?? "";
  }

  payloadOf(slot: number): Readonly<Record<string, unknown>> {
    return this.payloads[slot] ?? {};
  }

  /** Slots of these collections, live ones only. */
  slotsOfCollections(collectionIds: readonly string[]): number[] {
    const out: number[] = [];
    for (const c of new Set(collectionIds)) {
      for (const slot of this.byCollection.get(c) ?? []) if (this.aliveFlags[slot] === 1) out.push(slot);
    }
    return out;
  }

  /** Whether these collections hold every vector of the table (the restriction filters nothing). */
  coversAllCollections(collectionIds: readonly string[]): boolean {
    if (collectionIds.length < this.byCollection.size) return false;
    const given = new Set(collectionIds);
    for (const id of this.byCollection.keys()) if (!given.has(id)) return false;
    return true;
  }

  collectionSize(collectionId: string): number {
    return this.byCollection.get(collectionId)?.length ?? 0;
  }

  private kill(slot: number): void {
    if (this.aliveFlags[slot] !== 1) return;
    this.aliveFlags[slot] = 0;
    // Dead payloads are dropped at once: they are the largest per-vector JS objects.
    this.payloads[slot] = undefined;
    this.live--;
  }
}

function grow<T extends Float64Array | Uint8Array>(array: T, length: number): T {
  const next = new (array.constructor as new (n: number) => T)(length);
  next.set(array);
  return next;
}

/** Copies of the vectors (and payloads) of these refs, those present. */
export function storedVectors(table: VectorTable, refs: readonly DocRef[]): StoredVector[] {
  const out: StoredVector[] = [];
  for (const ref of refs) {
    const slot = table.slotOf(ref.collectionId, ref.id);
    if (slot === undefined) continue;
    out.push({
      id: ref.id,
      collectionId: ref.collectionId,
      vector: Float32Array.from(table.vector(slot)),
      payload: table.payloadOf(slot),
    });
  }
  return out;
}
