import { randomBytes } from "node:crypto";
import type { ObjectStore } from "@strata/objectstore";
import { packDocumentIds, packHeaderLength } from "./cold-pack-format.js";

/** A pack object of one collection and which of its documents are still its to answer. */
export interface Pack {
  readonly key: string;
  readonly sequence: number;
  /** Document ids this pack is the current copy of (a later pack or a delete takes them away). */
  readonly live: Set<string>;
}

/**
 * One collection's cold objects as this process knows them (ADR 0033): the packs, oldest first,
 * with the document each one answers for, and the version-1 single-document objects left from
 * before packs. Built by listing the collection's prefix and reading each pack's header; kept up
 * to date by the writes that go through this process.
 */
export class PackState {
  readonly packs = new Map<string, Pack>();
  /** Document id → the pack holding its current copy. */
  readonly where = new Map<string, Pack>();
  /** Object keys of version-1 documents (one object each) still present. */
  readonly singles = new Set<string>();
  /** Copies a later pack supersedes that a crash left behind (removed right after load). */
  readonly stale: { pack: Pack; documentId: string }[] = [];
  nextSequence = 1;

  constructor(readonly prefix: string) {}

  static async load(store: ObjectStore, prefix: string): Promise<PackState> {
    const state = new PackState(prefix);
    let cursor: string | undefined;
    const packKeys: string[] = [];
    do {
      const page = await store.list(prefix, { limit: 1000, ...(cursor ? { cursor } : {}) });
      for (const item of page.items) {
        if (item.key.startsWith(state.packsPrefix) && item.key.endsWith(".pack")) packKeys.push(item.key);
        else if (item.key.endsWith(".cold") && !item.key.slice(prefix.length).includes("/"))
          state.singles.add(item.key);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    // Keys list in byte order and sequences are zero-padded: oldest pack first.
    for (const key of packKeys) {
      const ids = await readPackIds(store, key);
      if (ids === undefined) continue; // deleted since listed
      state.register(key, sequenceOf(key), ids);
    }
    return state;
  }

  get packsPrefix(): string {
    return `${this.prefix}packs/`;
  }

  /**
   * A new pack's key: sequence first (replay order), random so a retry never collides. The sequence
   * is at least the time in milliseconds, so a process that restarts with an index listed before
   * another's write still names its packs after that write's (given clocks that agree).
   */
  newPackKey(): { key: string; sequence: number } {
    const sequence = Math.max(this.nextSequence, Date.now());
    this.nextSequence = sequence + 1;
    const key = `${this.packsPrefix}${String(sequence).padStart(15, "0")}-${randomBytes(4).toString("hex")}.pack`;
    return { key, sequence };
  }

  /**
   * Records a written pack as the current copy of its documents; answers the older packs that
   * lose documents to it (their copies are to be dropped).
   */
  register(key: string, sequence: number, documentIds: readonly string[]): Map<Pack, string[]> {
    const pack: Pack = { key, sequence, live: new Set() };
    this.packs.set(key, pack);
    this.nextSequence = Math.max(this.nextSequence, sequence + 1);
    const superseded = new Map<Pack, string[]>();
    for (const id of documentIds) {
      const older = this.where.get(id);
      if (older !== undefined && older !== pack) {
        older.live.delete(id);
        superseded.set(older, [...(superseded.get(older) ?? []), id]);
        this.stale.push({ pack: older, documentId: id });
      }
      this.where.set(id, pack);
      pack.live.add(id);
    }
    return superseded;
  }

  forget(pack: Pack): void {
    this.packs.delete(pack.key);
    for (const id of pack.live) if (this.where.get(id) === pack) this.where.delete(id);
  }
}

function sequenceOf(key: string): number {
  const name = key.slice(key.lastIndexOf("/") + 1);
  const sequence = Number.parseInt(name.slice(0, name.indexOf("-")), 10);
  return Number.isFinite(sequence) ? sequence : 0;
}

/** The document ids of a pack from the first bytes of its body; undefined when it is gone. */
async function readPackIds(store: ObjectStore, key: string): Promise<string[] | undefined> {
  const got = await store.get(key);
  if (!got.ok) return undefined;
  const chunks: Buffer[] = [];
  let length = 0;
  let needed: number | undefined;
  for await (const chunk of got.value.body) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    chunks.push(bytes);
    length += bytes.byteLength;
    needed ??= packHeaderLength(Buffer.concat(chunks));
    if (needed !== undefined && length >= needed) break;
  }
  got.value.body.destroy();
  const ids = packDocumentIds(Buffer.concat(chunks));
  if (typeof ids === "string") throw new PackUnreadable(`cold pack ${key} is unreadable: ${ids}`);
  return ids;
}

/** A pack whose header cannot be read: the collection's cold copies cannot be trusted. */
export class PackUnreadable extends Error {}
