import type { DecodedSegment } from "./segment-codec.js";

/**
 * Decoded segments by object key, least recently used evicted first once their memory passes the
 * budget, so a warm search reads the ObjectStore only on a miss. Segments are immutable, so an entry
 * never goes stale; a dropped segment's entry just ages out (or is evicted explicitly).
 */
export class SegmentCache {
  private readonly entries = new Map<string, DecodedSegment>();
  private bytes = 0;

  constructor(private readonly budgetBytes: number) {}

  get(key: string): DecodedSegment | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      // Re-insert: Map keeps insertion order, so the first entry is the least recently used.
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, segment: DecodedSegment): void {
    this.evict(key);
    this.entries.set(key, segment);
    this.bytes += segment.memoryBytes;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.budgetBytes || oldest === key) break;
      this.entries.delete(oldest);
      this.bytes -= entry.memoryBytes;
    }
  }

  evict(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.memoryBytes;
  }

  evictPrefix(prefix: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.evict(key);
  }

  get memoryBytes(): number {
    return this.bytes;
  }
}
