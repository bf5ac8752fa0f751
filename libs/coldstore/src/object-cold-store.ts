import type { AppError, Result } from "@strata/errors";
import { err, internal, ok, unavailable } from "@strata/errors";
import { mapLimit, type ObjectStore } from "@strata/objectstore";
import { decodeColdDocument } from "./cold-format.js";
import { decodeColdPack, encodeColdPack } from "./cold-pack-format.js";
import { collectionPrefix, documentKey, namespacePrefix } from "./object-keys.js";
import { PackCache } from "./pack-cache.js";
import { type Pack, PackState, PackUnreadable } from "./pack-state.js";
import type { ColdDocument, ColdRef, ColdStore } from "./port.js";
import { readObject } from "./read-object.js";

export interface ObjectColdStoreOptions {
  readonly store: ObjectStore;
  /** Key prefix of every cold object (default "cold"). */
  readonly prefix?: string;
  /** Objects read or deleted at once (default 16). */
  readonly concurrency?: number;
  /** Documents per scan page (default 100). */
  readonly pageSize?: number;
  /** Documents per pack object at most (default 4,096). */
  readonly packDocuments?: number;
  /** Encoded bytes of decoded packs kept for later reads (default 32 MiB). */
  readonly cacheBytes?: number;
}

class ColdObjectCorrupt extends Error {}

/**
 * The cold tier on any ObjectStore (ADR 0033): each putMany writes one pack object per collection
 * (cold format version 2), a document's current copy is the one in its newest pack; version-1
 * single-document objects are still read, and removed once a pack holds the document. A delete
 * drops documents from their packs: a pack left empty is deleted, any other rewritten without them.
 * One process writes a namespace's cold objects (as with the warm index, ADR 0022).
 */
export function openObjectColdStore(options: ObjectColdStoreOptions): ColdStore {
  const { store } = options;
  const prefix = options.prefix ?? "cold";
  const concurrency = options.concurrency ?? 16;
  const pageSize = options.pageSize ?? 100;
  const packDocuments = options.packDocuments ?? 4096;
  const cache = new PackCache(options.cacheBytes ?? 32 * 1024 * 1024);
  const states = new Map<string, Promise<PackState>>();
  const queues = new Map<string, Promise<unknown>>();

  /** Runs `work` after every earlier operation on the same collection. */
  function serialized<T>(key: string, work: () => Promise<T>): Promise<T> {
    const run = (queues.get(key) ?? Promise.resolve()).then(work, work);
    const settled = run.catch(() => undefined);
    queues.set(key, settled);
    void settled.then(() => {
      if (queues.get(key) === settled) queues.delete(key);
    });
    return run;
  }

  function stateOf(collection: string, reload = false): Promise<PackState> {
    let state = states.get(collection);
    if (state === undefined || reload) {
      state = PackState.load(store, collection).then(async (loaded) => {
        await dropStale(loaded);
        return loaded;
      });
      states.set(collection, state);
      state.catch(() => states.delete(collection));
    }
    return state;
  }

  /** Copies a crash left superseded (a later pack or a pack over a version-1 object) go away. */
  async function dropStale(state: PackState): Promise<void> {
    const byPack = new Map<Pack, string[]>();
    for (const { pack, documentId } of state.stale.splice(0))
      byPack.set(pack, [...(byPack.get(pack) ?? []), documentId]);
    for (const pack of byPack.keys()) await dropFrom(state, pack);
    if (state.singles.size === 0) return;
    for (const pack of [...state.packs.values()]) {
      const [first] = pack.live;
      if (first === undefined) continue;
      // Version-1 objects of documents a pack holds: the pack is newer.
      const doc = (await readPack(pack))[0];
      if (doc === undefined) continue;
      for (const id of pack.live) {
        const single = documentKey(prefix, { ...doc, documentId: id });
        if (state.singles.delete(single)) await store.delete(single);
      }
    }
  }

  async function readPack(pack: Pack): Promise<ColdDocument[]> {
    const cached = cache.get(pack.key);
    if (cached !== undefined) return cached;
    const bytes = await readObject(store, pack.key);
    if (bytes === undefined) throw new ColdObjectCorrupt(`cold pack ${pack.key} is missing`);
    const docs = decodeColdPack(bytes);
    if (typeof docs === "string") throw new ColdObjectCorrupt(`cold pack ${pack.key} is corrupt: ${docs}`);
    cache.set(pack.key, docs, bytes.byteLength);
    return docs;
  }

  async function readSingle(key: string): Promise<ColdDocument | undefined> {
    const bytes = await readObject(store, key);
    if (bytes === undefined) return undefined;
    const doc = decodeColdDocument(bytes);
    if (typeof doc === "string") throw new ColdObjectCorrupt(`cold object ${key} is corrupt: ${doc}`);
    return doc;
  }

  /**
   * Makes a pack hold only its live documents: deleted when none is left, else rewritten as a new
   * pack of them (written before the old one goes, so a crash leaves a copy, never none).
   */
  async function dropFrom(state: PackState, pack: Pack): Promise<void> {
    if (pack.live.size === 0) {
      state.forget(pack);
      cache.evict(pack.key);
      await store.delete(pack.key);
      return;
    }
    // The new pack supersedes every document the old one still answers for, so writing it drops the old.
    await writePack(
      state,
      (await readPack(pack)).filter((d) => pack.live.has(d.documentId)),
    );
  }

  /** One pack object of the documents (one collection); older copies of them are dropped after. */
  async function writePack(state: PackState, docs: readonly ColdDocument[]): Promise<number> {
    const bytes = encodeColdPack(docs);
    const { key, sequence } = state.newPackKey();
    const put = await store.put(key, bytes);
    if (!put.ok) throw new Error(`cold pack write failed: ${put.error}`);
    const superseded = state.register(
      key,
      sequence,
      docs.map((d) => d.documentId),
    );
    state.stale.length = 0;
    for (const older of superseded.keys()) await dropFrom(state, older);
    const singles = docs.map((d) => documentKey(prefix, d)).filter((k) => state.singles.delete(k));
    await mapLimit(singles, concurrency, (k) => store.delete(k));
    return bytes.byteLength;
  }

  function byCollection<T extends ColdRef>(refs: readonly T[]): Map<string, T[]> {
    const groups = new Map<string, T[]>();
    for (const ref of refs) {
      const key = collectionPrefix(prefix, ref.namespaceId, ref.collectionId);
      groups.set(key, [...(groups.get(key) ?? []), ref]);
    }
    return groups;
  }

  async function putMany(docs: readonly ColdDocument[]): Promise<number> {
    let bytes = 0;
    for (const [collection, group] of byCollection(docs)) {
      // The last copy of a document named twice wins, as with puts one after the other.
      const unique = [...new Map(group.map((d) => [d.documentId, d])).values()];
      bytes += await serialized(collection, async () => {
        const state = await stateOf(collection);
        let written = 0;
        for (let i = 0; i < unique.length; i += packDocuments)
          written += await writePack(state, unique.slice(i, i + packDocuments));
        return written;
      });
    }
    return bytes;
  }

  /** The documents asked that are stored, each pack read once; a miss reloads the index once. */
  async function getMany(refs: readonly ColdRef[]): Promise<ColdDocument[]> {
    const found: ColdDocument[] = [];
    for (const [collection, group] of byCollection(refs)) {
      const got = await serialized(collection, async () => {
        const first = await readFrom(await stateOf(collection), group);
        if (first.missing.length === 0) return first.docs;
        // Another process may have written since this one listed the collection.
        const again = await readFrom(await stateOf(collection, true), first.missing);
        return [...first.docs, ...again.docs];
      });
      found.push(...got);
    }
    return found;
  }

  async function readFrom(
    state: PackState,
    refs: readonly ColdRef[],
  ): Promise<{ docs: ColdDocument[]; missing: ColdRef[] }> {
    const wanted = new Map<Pack, Set<string>>();
    const singles: ColdRef[] = [];
    const missing: ColdRef[] = [];
    for (const ref of refs) {
      const pack = state.where.get(ref.documentId);
      if (pack !== undefined) wanted.set(pack, (wanted.get(pack) ?? new Set()).add(ref.documentId));
      else if (state.singles.has(documentKey(prefix, ref))) singles.push(ref);
      else missing.push(ref);
    }
    const docs: ColdDocument[] = [];
    for (const [pack, ids] of wanted)
      for (const doc of await readPack(pack)) if (ids.has(doc.documentId)) docs.push(doc);
    const read = await mapLimit(singles, concurrency, async (ref) => {
      const doc = await readSingle(documentKey(prefix, ref));
      // A hashed key segment could in theory collide; the header names the document for sure.
      return doc?.namespaceId === ref.namespaceId &&
        doc.collectionId === ref.collectionId &&
        doc.documentId === ref.documentId
        ? doc
        : undefined;
    });
    for (const doc of read) if (doc !== undefined) docs.push(doc);
    return { docs, missing };
  }

  async function deleteMany(refs: readonly ColdRef[]): Promise<number> {
    let count = 0;
    for (const [collection, group] of byCollection(refs)) {
      count += await serialized(collection, async () => {
        const state = await stateOf(collection);
        const touched = new Set<Pack>();
        let removed = 0;
        for (const ref of new Map(group.map((r) => [r.documentId, r])).values()) {
          const pack = state.where.get(ref.documentId);
          if (pack !== undefined) {
            pack.live.delete(ref.documentId);
            state.where.delete(ref.documentId);
            touched.add(pack);
            removed++;
          }
          const single = documentKey(prefix, ref);
          if (state.singles.delete(single) && (await store.delete(single)) && pack === undefined) removed++;
        }
        for (const pack of touched) await dropFrom(state, pack);
        return removed;
      });
    }
    return count;
  }

  async function collectionsOf(namespaceId: string): Promise<string[]> {
    const nsPrefix = namespacePrefix(prefix, namespaceId);
    const found = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await store.list(nsPrefix, { limit: 1000, ...(cursor ? { cursor } : {}) });
      for (const item of page.items) {
        const rest = item.key.slice(nsPrefix.length);
        found.add(`${nsPrefix}${rest.slice(0, rest.indexOf("/") + 1)}`);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return [...found].filter((c) => c !== nsPrefix).sort();
  }

  async function* scanPages(
    namespaceId: string,
    collectionId: string | undefined,
  ): AsyncIterable<Result<ColdDocument[], AppError>> {
    const listed = await guarded(async () =>
      collectionId === undefined
        ? collectionsOf(namespaceId)
        : [collectionPrefix(prefix, namespaceId, collectionId)],
    );
    if (!listed.ok) {
      yield listed;
      return;
    }
    for (const collection of listed.value) {
      const sources = await guarded(async () => {
        const state = await stateOf(collection);
        return { packs: [...state.packs.values()], singles: [...state.singles].sort() };
      });
      if (!sources.ok) {
        yield sources;
        return;
      }
      const reads: (() => Promise<ColdDocument[]>)[] = [
        // A pack dropped since (a write moved its documents to a newer pack, also listed) is skipped.
        ...sources.value.packs.map(
          (pack) => async () =>
            pack.live.size === 0 ? [] : (await readPack(pack)).filter((d) => pack.live.has(d.documentId)),
        ),
      ];
      for (let i = 0; i < sources.value.singles.length; i += pageSize) {
        const keys = sources.value.singles.slice(i, i + pageSize);
        reads.push(async () =>
          (await mapLimit(keys, concurrency, readSingle)).filter((d): d is ColdDocument => d !== undefined),
        );
      }
      for (const read of reads) {
        const page = await guarded(() => serialized(collection, read));
        if (!page.ok) {
          yield page;
          return;
        }
        for (let i = 0; i < page.value.length; i += pageSize) yield ok(page.value.slice(i, i + pageSize));
      }
    }
  }

  return {
    put: (doc) => guarded(async () => ({ bytes: await putMany([doc]) })),

    putMany: (docs) => guarded(async () => ({ bytes: await putMany(docs) })),

    get: (ref) => guarded(async () => (await getMany([ref]))[0]),

    getMany: (refs) => guarded(() => getMany(refs)),

    delete: (refs) => guarded(() => deleteMany(refs)),

    scan: (namespaceId, collectionId) => scanPages(namespaceId, collectionId),

    dropNamespace: (namespaceId) =>
      guarded(async () => {
        const nsPrefix = namespacePrefix(prefix, namespaceId);
        const pending = [...queues.entries()].filter(([key]) => key.startsWith(nsPrefix));
        await Promise.all(pending.map(([, p]) => p));
        for (const key of [...states.keys()]) if (key.startsWith(nsPrefix)) states.delete(key);
        await store.deletePrefix(nsPrefix);
      }),
  };
}

/** Storage failures and corrupt objects become errors, never stack traces or half-decoded documents. */
async function guarded<T>(work: () => Promise<T>): Promise<Result<T, AppError>> {
  try {
    return ok(await work());
  } catch (e) {
    if (e instanceof ColdObjectCorrupt || e instanceof PackUnreadable) return err(internal(e.message));
    return err(unavailable("Cold storage is unavailable"));
  }
}
