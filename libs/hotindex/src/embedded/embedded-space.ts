import type { BoundFilterNode } from "@strata/filter";
import type { DocRef, HotRecord, HotSearch, HotSpace, SpaceStats, StoredVector } from "../port.js";
import { FieldIndex } from "./field-index.js";
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
import type { PlannerOptions, Ranked } from "./space-search.js";
import { countSpace, searchSpace } from "./space-search.js";
import { refKey, VectorTable } from "./vector-table.js";
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
  readonly table: VectorTable;
  readonly fields: FieldIndex;
  readonly graphState: GraphState;
  /** Staged writes neither committed nor aborted yet, by write id (ADR 0013). */
  private readonly staged = new Map<string, readonly DecodedRecord[]>();

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
    s.log = await WriteAheadLog.open(`${dir}/vectors.log`, (body) =>
      s.apply(decodeEntry(body, space.dimensions)),
    );
    s.graphState.restore(dir);
    return s;
  }

  async upsert(records: readonly HotRecord[]): Promise<void> {
    if (records.length === 0) return;
    const body = encodeUpsert(records, this.space.dimensions);
    await this.requireLog().append(body, () => this.apply(decodeEntry(body, this.space.dimensions)));
  }

  /** Logs the records (fsynced) without making them visible; `commit` or `abort` settles them. */
  async stage(writeId: string, records: readonly HotRecord[]): Promise<void> {
    if (this.staged.has(writeId)) throw new Error(`write ${writeId} is already staged`);
    const body = encodeStage(writeId, records, this.space.dimensions);
    await this.requireLog().append(body, () => this.apply(decodeEntry(body, this.space.dimensions)));
  }

  /**
   * Makes a staged write visible (only `only` of it when given). The frame is not fsynced on its
   * own: if it is lost, recovery finds the write staged again and settles it by the document store.
   */
  async commit(writeId: string, only?: readonly DocRef[]): Promise<void> {
    if (!this.staged.has(writeId)) return;
    const body = encodeCommit(writeId, only);
    await this.requireLog().append(body, () => this.apply(decodeEntry(body, this.space.dimensions)), {
      sync: false,
    });
  }

  async abort(writeId: string): Promise<void> {
    if (!this.staged.has(writeId)) return;
    const body = encodeAbort(writeId);
    await this.requireLog().append(body, () => this.apply(decodeEntry(body, this.space.dimensions)), {
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

  async delete(refs: readonly DocRef[]): Promise<number> {
    const present = refs.filter((r) => this.table.slotOf(r.collectionId, r.id) !== undefined);
    if (present.length === 0) return 0;
    let removed = 0;
    await this.requireLog().append(encodeDelete(present), () => {
      removed = this.apply({ op: "delete", refs: present });
    });
    return removed;
  }

  async deleteCollection(collectionId: string): Promise<number> {
    if (this.table.collectionSize(collectionId) === 0) return 0;
    let removed = 0;
    await this.requireLog().append(encodeDeleteCollection(collectionId), () => {
      removed = this.apply({ op: "delete_collection", collectionId });
    });
    return removed;
  }

  search(query: HotSearch): Ranked[] {
    return searchSpace(this, query, this.options.planner).ranked;
  }

  count(filter: BoundFilterNode | undefined, collectionIds: readonly string[] | undefined): number {
    return countSpace(this, filter, collectionIds);
  }

  get(refs: readonly DocRef[]): StoredVector[] {
    const out: StoredVector[] = [];
    for (const ref of refs) {
      const slot = this.table.slotOf(ref.collectionId, ref.id);
      if (slot === undefined) continue;
      out.push({
        id: ref.id,
        collectionId: ref.collectionId,
        vector: Float32Array.from(this.table.vector(slot)),
        payload: this.table.payloadOf(slot),
      });
    }
    return out;
  }

  stats(): SpaceStats {
    return { space: this.space, count: this.table.liveCount, indexed: this.graphState.live };
  }

  /** Whether vectors are waiting for the graph (or the graph is being rebuilt). */
  get pending(): boolean {
    return this.graphState.pending;
  }

  /** One short synchronous step of background graph work (see GraphState.step). */
  indexStep(max: number, threads: number): number {
    return this.graphState.step(max, threads);
  }

  saveGraphIfWorthIt(minChanges: number): void {
    this.graphState.saveIfWorthIt(this.dir, minChanges);
  }

  async close(): Promise<void> {
    await this.log?.close();
    this.log = undefined;
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

  private requireLog(): WriteAheadLog {
    if (!this.log) throw new Error(`space ${this.dir} is closed`);
    return this.log;
  }
}
