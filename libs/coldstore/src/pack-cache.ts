import type { ColdDocument } from "./port.js";

/**
 * Decoded packs by object key, least recently used evicted first once their encoded bytes pass the
 * budget: a run of single gets (direct reads of cold documents) decodes each pack once. Pack
 * objects are never changed in place (a rewrite is a new key), so an entry never goes stale.
 */
export class PackCache {
  private readonly entries = new Map<string, { docs: ColdDocument[]; bytes: number }>();
  private bytes = 0;

  constructor(private readonly budgetBytes: number) {}

  get(key: string): ColdDocument[] | undefined {
    const hit = this.entries.get(key);
    if (hit === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.docs;
  }

  set(key: string, docs: ColdDocument[], bytes: number): void {
    this.evict(key);
    if (bytes > this.budgetBytes) return;
    this.entries.set(key, { docs, bytes });
    this.bytes += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.budgetBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.bytes;
    }
  }

  evict(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }
}
