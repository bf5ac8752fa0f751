import { mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { AppError, Result } from "@strata/errors";
import { err, internal, ok } from "@strata/errors";
import type { BoundFilterNode } from "@strata/filter";
import type {
  CopiedRecord,
  DocRef,
  Hit,
  HotIndex,
  HotIndexStats,
  HotRecord,
  HotSearch,
  HotSpace,
  StagedWrite,
  StoredVector,
} from "../port.js";
import { sameSpace, spaceKey } from "../space-key.js";
import { validateRecords, validateSearch, validateSpace } from "../validate.js";
import { BackgroundIndexer, type IndexerOptions } from "./background-indexer.js";
import { lockDirectory } from "./dir-lock.js";
import { EmbeddedSpace } from "./embedded-space.js";
import { DEFAULT_GRAPH_OPTIONS, type GraphOptions } from "./hnsw-graph.js";
import { copyEmbeddedSpace } from "./space-copy.js";
import { readSpaceDescriptor, writeSpaceDescriptor } from "./space-descriptor.js";
import { DEFAULT_PLANNER, type PlannerOptions } from "./space-search.js";

export interface EmbeddedHotIndexOptions {
  /** Where the spaces live (one sub-directory each). Created if missing. */
  readonly dir: string;
  readonly graph?: Partial<GraphOptions>;
  readonly planner?: Partial<PlannerOptions>;
  readonly indexer?: Partial<IndexerOptions>;
}

/**
 * The in-process hot index of the embedded mode (DESIGN §3): per space, a write-ahead log (fsynced
 * before a write resolves), the float32 vectors in memory, an HNSW graph filled in the background
 * and snapshotted to disk, and a query planner that scans exactly when a filter is selective.
 * Every space found under `dir` is loaded at open.
 */
export async function openEmbeddedHotIndex(options: EmbeddedHotIndexOptions): Promise<HotIndex> {
  await mkdir(options.dir, { recursive: true });
  const unlock = await lockDirectory(options.dir);
  const spaceOptions = {
    graph: { ...DEFAULT_GRAPH_OPTIONS, ...options.graph },
    planner: { ...DEFAULT_PLANNER, ...options.planner },
  };
  const spaces = new Map<string, Promise<EmbeddedSpace>>();
  const opened = new Map<string, EmbeddedSpace>();
  const indexer = new BackgroundIndexer(() => opened.values(), {
    // One thread measured fastest here (usearch starts its threads per call) and leaves a core for queries.
    threads: 1,
    stepBudgetMs: 15,
    searchStepBudgetMs: 2,
    snapshotEvery: 50_000,
    snapshotWhenIdleAfter: 1_000,
    // While writes keep coming (a batch's chunks arrive a few hundred ms apart), about a twentieth of
    // the event loop goes to the graph (ingestion first; the appendable segment keeps new vectors
    // searchable); then it catches up at full speed. With 120 ms pauses within a 250 ms window,
    // continuous upserts ran at under a third of the rate these allow (docs/benchmarks.md, hot index).
    busyWindowMs: 1000,
    busyPauseMs: 300,
    ...options.indexer,
  });
  let closed = false;

  const load = (key: string, space: HotSpace, create: boolean): Promise<EmbeddedSpace> => {
    const existing = spaces.get(key);
    if (existing) return existing;
    const dir = join(options.dir, `space-${key}`);
    const promise = (async () => {
      if (create) {
        await mkdir(dir, { recursive: true });
        writeSpaceDescriptor(dir, space);
      }
      const s = await EmbeddedSpace.open(space, dir, spaceOptions);
      opened.set(key, s);
      return s;
    })();
    spaces.set(key, promise);
    promise.catch(() => spaces.delete(key));
    return promise;
  };

  try {
    for (const entry of await readdir(options.dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || !entry.name.startsWith("space-")) continue;
      const space = await readSpaceDescriptor(join(options.dir, entry.name));
      if (space && `space-${spaceKey(space)}` === entry.name) await load(spaceKey(space), space, false);
    }
  } catch (error) {
    for (const s of opened.values()) await s.close();
    await unlock();
    throw error;
  }
  indexer.wake();

  /**
   * Runs `work` on the space, turning failures into values. Writes create the space on first use;
   * reads of a space that was never written answer `absent` instead of creating files.
   */
  const withSpace = async <T>(
    space: HotSpace,
    work: (s: EmbeddedSpace) => T | Promise<T>,
    absent?: () => T,
  ): Promise<Result<T, AppError>> => {
    if (closed) return err(internal("Hot index is closed"));
    const valid = validateSpace(space);
    if (!valid.ok) return valid;
    const key = spaceKey(space);
    if (absent && !spaces.has(key)) return ok(absent());
    try {
      const s = await load(key, space, true);
      if (!sameSpace(s.space, space)) return err(internal("Space key collision"));
      return ok(await work(s));
    } catch (error) {
      return err(internal(`Hot index failure: ${error instanceof Error ? error.message : String(error)}`));
    }
  };

  // A delete is a write too: while deletes keep coming (a tier move demoting documents page by
  // page), a graph rebuilt after a compaction takes the reduced share, not the whole event loop.
  const afterCompaction = (removed: number): number => {
    indexer.noteWrite();
    return removed;
  };

  const hits = (s: EmbeddedSpace, query: HotSearch): Hit[] =>
    s.search(query).map(({ slot, score }) => ({
      id: s.table.idOf(slot),
      collectionId: s.table.collectionOf(slot),
      score,
      payload: s.table.payloadOf(slot),
    }));

  return {
    ensureSpace: (space) => withSpace(space, () => undefined),
    async upsert(space: HotSpace, records: readonly HotRecord[]) {
      const valid = validateSpace(space);
      if (!valid.ok) return valid;
      const checked = validateRecords(space, records);
      if (!checked.ok) return checked;
      const r = await withSpace(space, (s) => s.upsert(records));
      indexer.noteWrite();
      return r;
    },
    async stage(space: HotSpace, writeId: string, records: readonly HotRecord[]) {
      const valid = validateSpace(space);
      if (!valid.ok) return valid;
      const checked = validateRecords(space, records);
      if (!checked.ok) return checked;
      const r = await withSpace(space, (s) => s.stage(writeId, records));
      indexer.noteWrite();
      return r;
    },
    commit: (space: HotSpace, writeId: string, only?: readonly DocRef[]) =>
      withSpace(
        space,
        (s) => s.commit(writeId, only),
        () => undefined,
      ),
    abort: (space: HotSpace, writeId: string) =>
      withSpace(
        space,
        (s) => s.abort(writeId),
        () => undefined,
      ),
    async staged(): Promise<Result<StagedWrite[], AppError>> {
      const out: StagedWrite[] = [];
      for (const s of opened.values())
        for (const w of s.stagedWrites()) out.push({ space: s.space, writeId: w.writeId, refs: w.refs });
      return ok(out);
    },
    // A delete may compact the space's log, which renumbers its slots: the graph is rebuilt.
    delete: (space: HotSpace, refs: readonly DocRef[]) =>
      withSpace(
        space,
        async (s) => afterCompaction(await s.delete(refs)),
        () => 0,
      ),
    deleteWhere: (space, where) =>
      withSpace(
        space,
        async (s) => afterCompaction(await s.deleteCollection(where.collectionId)),
        () => 0,
      ),
    async dropNamespace(namespaceId: string) {
      try {
        for (const [key, promise] of [...spaces]) {
          const s = await promise.catch(() => undefined);
          if (!s || s.space.namespaceId !== namespaceId) continue;
          spaces.delete(key);
          opened.delete(key);
          await s.close();
          await rm(s.dir, { recursive: true, force: true });
        }
        // Spaces not opened here too (a descriptor that failed to load, a directory under another name).
        for (const entry of await readdir(options.dir, { withFileTypes: true })) {
          if (!entry.isDirectory() || !entry.name.startsWith("space-")) continue;
          const dir = join(options.dir, entry.name);
          const found = await readSpaceDescriptor(dir);
          if (found?.namespaceId === namespaceId) await rm(dir, { recursive: true, force: true });
        }
        return ok(undefined);
      } catch (error) {
        return err(internal(`Hot index failure: ${error instanceof Error ? error.message : String(error)}`));
      }
    },
    async copySpace(source: HotSpace, target: HotSpace, remap: (ref: DocRef) => CopiedRecord | undefined) {
      if (closed) return err(internal("Hot index is closed"));
      for (const space of [source, target]) {
        const valid = validateSpace(space);
        if (!valid.ok) return valid;
      }
      if (source.dimensions !== target.dimensions || source.metric !== target.metric)
        return err(internal("A space copies only into a space of its dimensions and metric"));
      const key = spaceKey(target);
      if (spaces.has(key)) return err(internal("The copy's space exists already"));
      const from = spaces.get(spaceKey(source));
      // Never written: nothing to copy, and the target is created on its first write.
      if (from === undefined) return ok({ copied: 0, graph: "copied" as const });
      const dir = join(options.dir, `space-${key}`);
      const copying = from.then((s) => copyEmbeddedSpace(s, target, dir, remap, spaceOptions));
      // Reads and writes of the target wait for the copy, as for any space being opened.
      const copied = copying.then((c) => c.space);
      copied.catch(() => undefined);
      spaces.set(key, copied);
      try {
        const { space, report } = await copying;
        opened.set(key, space);
        indexer.wake();
        return ok(report);
      } catch (error) {
        spaces.delete(key);
        return err(internal(`Hot index failure: ${error instanceof Error ? error.message : String(error)}`));
      }
    },
    async search(space: HotSpace, query: HotSearch) {
      const valid = validateSpace(space);
      if (!valid.ok) return valid;
      const checked = validateSearch(space, query);
      if (!checked.ok) return checked;
      indexer.noteSearch();
      return withSpace(
        space,
        (s) => hits(s, query),
        () => [],
      );
    },
    get: (space: HotSpace, refs: readonly DocRef[]): Promise<Result<StoredVector[], AppError>> =>
      withSpace(
        space,
        (s) => s.get(refs),
        () => [],
      ),
    count: (space: HotSpace, filter?: BoundFilterNode, collectionIds?: readonly string[]) =>
      withSpace(
        space,
        (s) => s.count(filter, collectionIds),
        () => 0,
      ),
    async stats(space?: HotSpace): Promise<Result<HotIndexStats, AppError>> {
      const only = space === undefined ? undefined : opened.get(spaceKey(space));
      const spaces = space === undefined ? [...opened.values()] : only === undefined ? [] : [only];
      const list = spaces.map((s) => s.stats());
      const vectors = list.reduce((n, s) => n + s.count, 0);
      const vectorBytes = list.reduce((n, s) => n + s.count * s.space.dimensions * 4, 0);
      return ok({ spaces: list, vectors, vectorBytes });
    },
    async flush() {
      try {
        for (const s of opened.values()) s.saveGraphIfWorthIt(1);
        return ok(undefined);
      } catch (error) {
        return err(internal(`Hot index failure: ${error instanceof Error ? error.message : String(error)}`));
      }
    },
    waitForIndexing: () => indexer.idle(),
    async close() {
      if (closed) return;
      closed = true;
      indexer.stop();
      for (const s of opened.values()) {
        s.saveGraphIfWorthIt(1);
        await s.close();
      }
      opened.clear();
      spaces.clear();
      await unlock();
    },
  };
}
