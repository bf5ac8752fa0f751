import type { BoundFilterNode } from "@strata/filter";
import type { DocRef, HotRecord, HotSearch, HotSpace, SpaceStats, StoredVector } from "../port.js";
import { FieldIndex } from "./field-index.js";
import { dropGraphSnapshot } from "./graph-snapshot.js";
import { GraphState } from "./graph-state.js";
import type { GraphOptions, HnswGraph } from "./hnsw-graph.js";
import type { DecodedRecord, LogEntry } from "./log-codec.js";
import {
  decodeEntry,
  encodeAbort,
  encodeCommit,
  encodeDelete,
  encodeDeleteCollection,
  encodeStage,
  encodeUpsert,
} from "./log-codec.js";
import type { CompactionOptions, CompactionStep } from "./log-compaction.js";
import { liveFrames, removeUnfinishedCompaction, rewriteLog } from "./log-compaction.js";
import type { PlannerOptions, Ranked } from "./space-search.js";
import { countSpace, searchSpace } from "./space-search.js";
import { refKey, storedVectors, VectorTable } from "./vector-table.js";
import { WriteAheadLog } from "./write-ahead-log.js";

export interface SpaceOptions {
  readonly graph: GraphOptions;
  readonly planner: PlannerOptions;
}

/**
 * One space of the embedded index: the log (the source of truth), the float32 vector table rebuilt
 * from it, and the HNSW graph that a background task fills behind the writes (its snapshot is saved
 * now and then so a restart does not rebuild it). Writes resolve once logged and applied; slots
 * from `indexedUpTo` on form the appendable segment, which every search scans exactly.
 */
export class EmbeddedSpace {
  // Replaced (not mutated) by a compaction, which renumbers the slots.
  table: VectorTable;
  fields: FieldIndex;
  graphState: GraphState;
  /** Staged writes neither committed nor aborted yet, by write id (ADR 0013). */
  private staged = new Map<string, readonly DecodedRecord[]>();
  /** Set while a compaction runs: writes wait for it. */
  private compacting: Promise<void> | undefined;

  private constructor(
    readonly space: HotSpace,
    readonly dir: string,
    private readonly options: SpaceOptions,
    private log: WriteAheadLog | undefined,
  ) {
    this.table = new VectorTable(space.dimensions);
    this.fields = new FieldIndex(this.table);
    this.graphState = new GraphState(space, this.table, options.graph);
  }

  get graph(): HnswGraph {
    return this.graphState.graph;
  }

  get indexedUpTo(): number {
    return this.graphState.indexedUpTo;
  }

  get deadFraction(): number {
    return this.graphState.deadFraction;
  }

  get metric(): HotSpace["metric"] {
    return this.space.metric;
  }

  static async open(space: HotSpace, dir: string, options: SpaceOptions): Promise<EmbeddedSpace> {
    const s = new EmbeddedSpace(space, dir, options, undefined);
    removeUnfinishedCompaction(s.logPath);
    s.log = await WriteAheadLog.open(s.logPath, (body) => s.replay(body));
    s.graphState.restore(dir);
    return s;
  }

  /**
   * Opens a space whose log was just written, from the records it holds, in log order: what `open`
   * would rebuild by reading the log back, without reading or decoding it (a copy, ADR 0037).
   */
  static async adopt(
    space: HotSpace,
    dir: string,
    options: SpaceOptions,
    records: Iterable<DecodedRecord>,
  ): Promise<EmbeddedSpace> {
    const s = new EmbeddedSpace(space, dir, options, undefined);
    for (const record of records) s.applyUpsert([record]);
    s.log = await WriteAheadLog.resume(s.logPath);
    s.graphState.restore(dir);
    return s;
  }

  async upsert(records: readonly HotRecord[]): Promise<void> {
    if (records.length === 0) return;
    const body = encodeUpsert(records, this.space.dimensions);
    await (await this.writable()).append(body, () => this.replay(body));
  }

  /** Logs the records (fsynced) without making them visible; `commit` or `abort` settles them. */
  async stage(writeId: string, records: readonly HotRecord[]): Promise<void> {
    const log = await this.writable();
    if (this.staged.has(writeId)) throw new Error(`write ${writeId} is already staged`);
    const body = encodeStage(writeId, records, this.space.dimensions);
    await log.append(body, () => this.replay(body));
  }

  /**
   * Makes a staged write visible (only `only` of it when given). The frame is not fsynced on its
   * own: if it is lost, recovery finds the write staged again and settles it by the document store.
   */
  async commit(writeId: string, only?: readonly DocRef[]): Promise<void> {
    const log = await this.writable();
    if (!this.staged.has(writeId)) return;
    const body = encodeCommit(writeId, only);
    await log.append(body, () => this.replay(body), {
      sync: false,
    });
  }

  async abort(writeId: string): Promise<void> {
    const log = await this.writable();
    if (!this.staged.has(writeId)) return;
    const body = encodeAbort(writeId);
    await log.append(body, () => this.replay(body), {
      sync: false,
    });
  }

  /** The staged writes not settled yet: after a restart, those a crash left in doubt. */
  stagedWrites(): { readonly writeId: string; readonly refs: DocRef[] }[] {
    return [...this.staged].map(([writeId, records]) => ({
      writeId,
      refs: records.map((r) => ({ collectionId: r.collectionId, id: r.id })),
    }));
  }

  /** Deletes; once dead records outnumber live ones, compacts the log before resolving. */
  async delete(refs: readonly DocRef[]): Promise<number> {
    const log = await this.writable();
    const present = refs.filter((r) => this.table.slotOf(r.collectionId, r.id) !== undefined);
    if (present.length === 0) return 0;
    let removed = 0;
    await log.append(encodeDelete(present), () => {
      removed = this.apply({ op: "delete", refs: present });
    });
    if (this.table.slotCount - this.table.liveCount >= this.table.liveCount) await this.compact();
    return removed;
  }

  /** Deletes the collection's vectors, then compacts the log so their bytes leave the disk. */
  async deleteCollection(collectionId: string): Promise<number> {
    const log = await this.writable();
    if (this.table.collectionSize(collectionId) === 0) return 0;
    let removed = 0;
    await log.append(encodeDeleteCollection(collectionId), () => {
      removed = this.apply({ op: "delete_collection", collectionId });
    });
    await this.compact();
    return removed;
  }

  search(query: HotSearch): Ranked[] {
    return searchSpace(this, query, this.options.planner).ranked;
  }

  count(filter: BoundFilterNode | undefined, collectionIds: readonly string[] | undefined): number {
    return countSpace(this, filter, collectionIds);
  }

  get(refs: readonly DocRef[]): StoredVector[] {
    return storedVectors(this.table, refs);
  }

  stats(): SpaceStats {
    return { space: this.space, count: this.table.liveCount, indexed: this.graphState.live };
  }

  /** Whether vectors are waiting for the graph (or the graph is being rebuilt). */
  get pending(): boolean {
    return this.compacting === undefined && this.graphState.pending;
  }

  /** One short synchronous step of background graph work (see GraphState.step). */
  indexStep(max: number, threads: number): number {
    return this.graphState.step(max, threads);
  }

  saveGraphIfWorthIt(minChanges: number): void {
    // Mid-compaction the graph's slots are those of the old log, which may no longer be on disk.
    if (this.compacting) return;
    this.graphState.saveIfWorthIt(this.dir, minChanges);
  }

  /**
   * Rewrites the log with only the live records and unsettled staged writes (ADR 0017), so deleted
   * vectors, ids and payloads leave the disk; the graph snapshot, which holds vectors too, is
   * dropped first and rebuilt from the new slots. Writes wait meanwhile; reads go on.
   */
  compact(options: CompactionOptions = {}): Promise<void> {
    if (this.compacting) return this.compacting;
    const done = this.runCompaction(options).finally(() => {
      this.compacting = undefined;
    });
    this.compacting = done.catch(() => undefined);
    return done;
  }

  private async runCompaction(options: CompactionOptions): Promise<void> {
    await this.requireLog().close();
    this.log = undefined;
    let renamed = false;
    const next = new EmbeddedSpace(this.space, this.dir, this.options, undefined);
    const onStep = (step: CompactionStep) => {
      renamed ||= step === "log-renamed";
      options.onStep?.(step);
    };
    try {
      dropGraphSnapshot(this.dir);
      onStep("graph-dropped");
      // Each frame is applied to the new state as it is written: no second pass over the data.
      const frames = liveFrames(this.table, this.staged, (b) => next.replay(b), options.recordsPerFrame);
      await rewriteLog(this.logPath, frames, onStep);
    } finally {
      if (renamed) {
        this.table = next.table;
        this.fields = next.fields;
        this.graphState = next.graphState;
        this.staged = next.staged;
      }
      this.log = await WriteAheadLog.resume(this.logPath);
    }
  }

  async close(): Promise<void> {
    while (this.compacting) await this.compacting;
    await this.log?.close();
    this.log = undefined;
  }

  /** Applies one frame body of the log. */
  replay(body: Buffer): void {
    this.apply(decodeEntry(body, this.space.dimensions));
  }

  private apply(entry: LogEntry): number {
    switch (entry.op) {
      case "upsert":
        return this.applyUpsert(entry.records);
      case "stage":
        // A copy: a replayed frame is a view into the log reader's buffer, reused for the next frame.
        this.staged.set(
          entry.writeId,
          entry.records.map((r) => ({ ...r, vectorBytes: new Uint8Array(r.vectorBytes) })),
        );
        return entry.records.length;
      case "commit": {
        const records = this.staged.get(entry.writeId) ?? [];
        this.staged.delete(entry.writeId);
        const only = entry.only;
        if (only === undefined) return this.applyUpsert(records);
        const keep = new Set(only.map((r) => refKey(r.collectionId, r.id)));
        return this.applyUpsert(records.filter((r) => keep.has(refKey(r.collectionId, r.id))));
      }
      case "abort":
        this.staged.delete(entry.writeId);
        return 0;
      case "delete": {
        let n = 0;
        for (const ref of entry.refs) {
          const slot = this.table.remove(ref.collectionId, ref.id);
          if (slot === undefined) continue;
          this.unindex(slot);
          n++;
        }
        return n;
      }
      case "delete_collection": {
        const slots = this.table.removeCollection(entry.collectionId);
        for (const slot of slots) this.unindex(slot);
        return slots.length;
      }
    }
  }

  private applyUpsert(records: readonly DecodedRecord[]): number {
    for (const r of records) {
      const { slot, replaced } = this.table.append(r.collectionId, r.id, r.payload, r.vectorBytes);
      if (replaced !== undefined) this.unindex(replaced);
      this.fields.onAppend(slot);
    }
    return records.length;
  }

  private unindex(slot: number): void {
    this.graphState.onDeath(slot);
  }

  private get logPath(): string {
    return `${this.dir}/vectors.log`;
  }

  /** The log once no compaction runs. */
  private async writable(): Promise<WriteAheadLog> {
    while (this.compacting) await this.compacting;
    return this.requireLog();
  }

  private requireLog(): WriteAheadLog {
    if (!this.log) throw new Error(`space ${this.dir} is closed`);
    return this.log;
  }
}
