import { readObject } from "@strata/coldstore";
import type { AppError, Result } from "@strata/errors";
import { err, internal, ok, unavailable } from "@strata/errors";
import type { BoundFilterNode } from "@strata/filter";
import { spaceKey, validateRecords, validateSearch, validateSpace } from "@strata/hotindex";
import type { ObjectStore } from "@strata/objectstore";
import type { WarmIndex, WarmIndexStats, WarmSpace, WarmSpaceStats } from "../port.js";
import { manifestsPrefix, parseManifest, segmentsPrefix, spaceLayout } from "./layout.js";
import { SegmentCache } from "./segment-cache.js";
import { countState, getState, searchState } from "./space-reads.js";
import { SegmentUnreadable, SpaceState } from "./space-state.js";
import { type CompactionOptions, compactIfNeeded, deleteRefs, upsertRecords } from "./space-writes.js";

export interface EmbeddedWarmIndexOptions {
  /** Any ObjectStore: the fs adapter in embedded mode, the S3 one when object storage is shared. */
  readonly store: ObjectStore;
  /** Key prefix of everything this index writes (default "warm"). */
  readonly prefix?: string;
  /** Memory for decoded segments; a search reads the store only for segments not cached (default 256 MiB). */
  readonly cacheBytes?: number;
  readonly compaction?: Partial<CompactionOptions>;
}

const DEFAULT_COMPACTION: CompactionOptions = { maxSegmentRecords: 32_768, maxSmallSegments: 8 };

/**
 * The embedded warm index (ADR 0022): per space, immutable segment objects plus a manifest on the
 * ObjectStore; searches scan the live records exactly with the filter pushed down. One writer per
 * space: operations on a space run one at a time in this process.
 */
export function openEmbeddedWarmIndex(options: EmbeddedWarmIndexOptions): WarmIndex {
  const { store } = options;
  const prefix = options.prefix ?? "warm";
  const cache = new SegmentCache(options.cacheBytes ?? 256 * 1024 * 1024);
  const compaction = { ...DEFAULT_COMPACTION, ...options.compaction };
  const ctx = { store, cache };
  const states = new Map<string, Promise<SpaceState | undefined>>();
  const queues = new Map<string, Promise<unknown>>();
  /** Spaces whose load found nothing, until a write creates them (`writableState`). */
  const absent = new Set<string>();
  let closed = false;

  /** Runs `work` after every earlier operation on the same key (a space, or a whole namespace). */
  function serialized<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = queues.get(key) ?? Promise.resolve();
    const run = previous.then(work, work);
    const settled = run.catch(() => undefined);
    queues.set(key, settled);
    void settled.then(() => {
      if (queues.get(key) === settled) queues.delete(key);
    });
    return run;
  }

  function stateOf(space: WarmSpace): Promise<SpaceState | undefined> {
    const key = spaceKey(space);
    let state = states.get(key);
    if (!state) {
      const loading = SpaceState.load(store, cache, spaceLayout(prefix, space), space);
      state = loading;
      states.set(key, loading);
      loading.then(
        (loaded) => {
          if (loaded === undefined && states.get(key) === loading) absent.add(key);
        },
        // A failed load is not remembered: the next call tries the store again.
        () => states.delete(key),
      );
    }
    return state;
  }

  /**
   * Whether a search of this space can answer at once with nothing: its load found no data, nothing
   * has created it since, and no operation on it is queued. Most spaces have no warm data at all,
   * and every search asks the warm tier too.
   */
  function knownEmpty(space: WarmSpace): boolean {
    const key = spaceKey(space);
    return !closed && absent.has(key) && !queues.has(queueKeyOf(space));
  }

  async function writableState(space: WarmSpace): Promise<SpaceState> {
    const existing = await stateOf(space);
    if (existing) return existing;
    const fresh = SpaceState.empty(store, cache, spaceLayout(prefix, space), space);
    const key = spaceKey(space);
    states.set(key, Promise.resolve(fresh));
    absent.delete(key);
    return fresh;
  }

  /** Storage failures become errors (never stack traces); validation runs before anything is touched. */
  async function guarded<T>(
    space: WarmSpace | undefined,
    work: () => Promise<T>,
  ): Promise<Result<T, AppError>> {
    if (closed) return err(unavailable("Warm index is closed"));
    if (space) {
      const valid = validateSpace(space);
      if (!valid.ok) return valid;
    }
    try {
      const run = () => work();
      return ok(await (space ? serialized(queueKeyOf(space), run) : run()));
    } catch (e) {
      if (e instanceof SegmentUnreadable) return err(internal(`Warm index data is unreadable: ${e.message}`));
      return err(unavailable("Warm index storage is unavailable"));
    }
  }

  async function persistEmpty(state: SpaceState): Promise<void> {
    if (state.manifest.segments.length > 0 || state.manifest.nextSequence > 1) return;
    const existing = await store.head(state.layout.manifestKey);
    if (existing) return;
    await store.put(state.layout.manifestKey, Buffer.from(JSON.stringify(state.manifest)), {
      contentType: "application/json",
    });
  }

  async function allSpaceStats(): Promise<WarmSpaceStats[]> {
    const out: WarmSpaceStats[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.list(manifestsPrefix(prefix), { limit: 1000, ...(cursor ? { cursor } : {}) });
      for (const item of page.items) {
        const bytes = await readObject(store, item.key);
        const manifest = bytes && parseManifest(bytes);
        if (manifest) out.push(spaceStats(manifest.space, manifest.count));
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return out;
  }

  return {
    supportsMetric: () => true,

    ensureSpace: (space) =>
      guarded(space, async () => {
        await persistEmpty(await writableState(space));
      }),

    upsert: async (space, records) => {
      const valid = validateSpace(space);
      if (!valid.ok) return valid;
      const checked = validateRecords(space, records);
      if (!checked.ok) return checked;
      return guarded(space, async () => {
        if (records.length === 0) return;
        const state = await writableState(space);
        await upsertRecords(ctx, state, records);
        await compactIfNeeded(ctx, state, compaction);
      });
    },

    delete: (space, refs) =>
      guarded(space, async () => {
        const state = await stateOf(space);
        if (!state) return 0;
        const removed = await deleteRefs(ctx, state, refs);
        await compactIfNeeded(ctx, state, compaction);
        return removed;
      }),

    deleteWhere: (space, where) =>
      guarded(space, async () => {
        const state = await stateOf(space);
        if (!state) return 0;
        const prefixOfCollection = `${where.collectionId}\u0000`;
        const refs = state.liveRefs((key) => key.startsWith(prefixOfCollection));
        const removed = await deleteRefs(ctx, state, refs);
        // A collection delete removes its vectors from the store before it resolves (as ADR 0017 does for hot).
        if (removed > 0) await compactIfNeeded(ctx, state, compaction, true);
        return removed;
      }),

    dropNamespace: (namespaceId) =>
      guarded(undefined, async () => {
        // Wait for every queued operation of the namespace's spaces, then forget them.
        const pending = [...queues.entries()].filter(([key]) =>
          key.startsWith(namespaceQueuePrefix(namespaceId)),
        );
        await Promise.all(pending.map(([, p]) => p));
        for (const [key, state] of [...states.entries()]) {
          const loaded = await state.catch(() => undefined);
          if (!loaded || loaded.space.namespaceId === namespaceId) {
            states.delete(key);
            absent.delete(key);
          }
        }
        // The manifests first: once they are gone the namespace reads as empty, even if the
        // segment delete is interrupted (a later drop finishes it).
        await store.deletePrefix(manifestsPrefix(prefix, namespaceId));
        await store.deletePrefix(segmentsPrefix(prefix, namespaceId));
        cache.evictPrefix(segmentsPrefix(prefix, namespaceId));
      }),

    search: async (space, query) => {
      const valid = validateSpace(space);
      if (!valid.ok) return valid;
      const checked = validateSearch(space, query);
      if (!checked.ok) return checked;
      if (knownEmpty(space)) return ok([]);
      return guarded(space, async () => {
        const state = await stateOf(space);
        return state ? searchState(state, query) : [];
      });
    },

    get: (space, refs) =>
      guarded(space, async () => {
        const state = await stateOf(space);
        return state ? getState(state, refs) : [];
      }),

    count: (space, filter?: BoundFilterNode, collectionIds?: readonly string[]) =>
      guarded(space, async () => {
        const state = await stateOf(space);
        return state ? countState(state, filter, collectionIds) : 0;
      }),

    stats: (space) =>
      guarded(space, async (): Promise<WarmIndexStats> => {
        let spaces: WarmSpaceStats[];
        if (space) {
          const state = await stateOf(space);
          spaces = state ? [spaceStats(state.manifest.space, state.count)] : [];
        } else {
          spaces = await allSpaceStats();
        }
        return {
          spaces,
          vectors: spaces.reduce((n, s) => n + s.count, 0),
          vectorBytes: spaces.reduce((n, s) => n + s.vectorBytes, 0),
          cachedBytes: cache.memoryBytes,
        };
      }),

    close: async () => {
      closed = true;
      await Promise.all([...queues.values()]);
    },
  };
}

function spaceStats(space: WarmSpace, count: number): WarmSpaceStats {
  return { space, count, vectorBytes: count * space.dimensions * 4 };
}

/** The queue a space's operations wait in: under its namespace, so a namespace drop finds them all. */
function queueKeyOf(space: WarmSpace): string {
  return `${namespaceQueuePrefix(space.namespaceId)}${spaceKey(space)}`;
}

function namespaceQueuePrefix(namespaceId: string): string {
  return `${namespaceId}\u0000`;
}
