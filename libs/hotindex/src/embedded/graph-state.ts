import type { HotSpace } from "../port.js";
import { type GraphSnapshot, loadGraphSnapshot, saveGraphSnapshot } from "./graph-snapshot.js";
import type { GraphOptions } from "./hnsw-graph.js";
import { HnswGraph } from "./hnsw-graph.js";
import { CHUNK_SIZE, type VectorTable } from "./vector-table.js";

/** Rebuild the graph once this fraction of its nodes are dead (and it has at least REBUILD_MIN nodes). */
const REBUILD_DEAD_FRACTION = 0.25;
const REBUILD_MIN = 1_000;

interface Build {
  readonly graph: HnswGraph;
  upTo: number;
  live: number;
}

/**
 * The graph of a space and how far it reaches. Every live slot below `indexedUpTo` is in `graph`;
 * dead ones may be too (nothing is removed, see HnswGraph), and when they pile up a replacement
 * graph is built in the background from the live slots while the old one keeps serving.
 */
export class GraphState {
  graph: HnswGraph;
  indexedUpTo = 0;
  /** Live / dead vectors among the graph's nodes. */
  live = 0;
  dead = 0;
  private unsaved = 0;
  private snapshot: GraphSnapshot | undefined;
  private build: Build | undefined;

  constructor(
    private readonly space: HotSpace,
    private readonly table: VectorTable,
    private readonly options: GraphOptions,
  ) {
    this.graph = HnswGraph.create(space.dimensions, space.metric, options);
  }

  /** Loads the last snapshot; whatever it lacks stays in the appendable segment. */
  restore(dir: string): void {
    const loaded = loadGraphSnapshot(dir, this.space, this.options, this.table.slotCount);
    if (!loaded) return;
    this.graph = loaded.graph;
    this.snapshot = loaded.snapshot;
    this.indexedUpTo = loaded.snapshot.indexedUpTo;
    for (let slot = 0; slot < this.indexedUpTo; slot++) if (this.table.isAlive(slot)) this.live++;
    // Nodes of vectors deleted or replaced at any time before the restart.
    this.dead = Math.max(0, this.graph.size - this.live);
  }

  /** Whether work is waiting: vectors not yet in the graph, or a rebuild under way. */
  get pending(): boolean {
    return this.indexedUpTo < this.table.slotCount || this.build !== undefined || this.needsRebuild;
  }

  private get needsRebuild(): boolean {
    return this.dead >= REBUILD_MIN * REBUILD_DEAD_FRACTION && this.deadFraction >= REBUILD_DEAD_FRACTION;
  }

  /** The fraction of graph nodes that are dead (searches fetch that many more candidates). */
  get deadFraction(): number {
    const total = this.live + this.dead;
    return total === 0 ? 0 : this.dead / total;
  }

  /** A vector died: if the graph has it, it is now a dead node. */
  onDeath(slot: number): void {
    if (slot < this.indexedUpTo) {
      this.live--;
      this.dead++;
    }
    if (this.build && slot < this.build.upTo) this.build.live--;
  }

  /** Adds up to `max` vectors to the graph being built; returns how many slots it advanced. */
  step(max: number, threads: number): number {
    if (
      !this.build &&
      this.dead >= REBUILD_MIN * REBUILD_DEAD_FRACTION &&
      this.deadFraction >= REBUILD_DEAD_FRACTION
    ) {
      this.build = {
        graph: HnswGraph.create(this.space.dimensions, this.space.metric, this.options),
        upTo: 0,
        live: 0,
      };
    }
    if (this.build) {
      const added = this.addRange(this.build.graph, this.build.upTo, max, threads);
      this.build.upTo += added.advanced;
      this.build.live += added.live;
      if (this.build.upTo === this.table.slotCount) {
        this.graph = this.build.graph;
        this.indexedUpTo = this.build.upTo;
        this.live = this.build.live;
        this.dead = this.graph.size - this.live;
        this.build = undefined;
        this.unsaved += this.live + 1;
      }
      return added.advanced;
    }
    const added = this.addRange(this.graph, this.indexedUpTo, max, threads);
    this.indexedUpTo += added.advanced;
    this.live += added.live;
    this.unsaved += added.live;
    return added.advanced;
  }

  /** Saves the graph when at least `minChanges` (and at least one) changes are unsaved. */
  saveIfWorthIt(dir: string, minChanges: number): void {
    if (this.unsaved === 0 || this.unsaved < minChanges) return;
    this.snapshot = saveGraphSnapshot(dir, this.graph, this.indexedUpTo, this.snapshot);
    this.unsaved = 0;
  }

  private addRange(
    graph: HnswGraph,
    from: number,
    max: number,
    threads: number,
  ): { advanced: number; live: number } {
    // Stop at a chunk boundary so the vectors are contiguous and need no copy.
    const chunkEnd = (Math.floor(from / CHUNK_SIZE) + 1) * CHUNK_SIZE;
    const to = Math.min(this.table.slotCount, from + max, chunkEnd);
    const slots: number[] = [];
    for (let slot = from; slot < to; slot++) if (this.table.isAlive(slot)) slots.push(slot);
    if (slots.length > 0) {
      graph.add(
        slots,
        slots.length === to - from ? contiguous(this.table, from, to) : gather(this.table, slots),
        threads,
      );
    }
    return { advanced: to - from, live: slots.length };
  }
}

function contiguous(table: VectorTable, from: number, to: number): Float32Array {
  const chunk = table.chunkOf(from);
  const start = table.offsetOf(from);
  return chunk.subarray(start, start + (to - from) * table.dimensions);
}

function gather(table: VectorTable, slots: readonly number[]): Float32Array {
  const out = new Float32Array(slots.length * table.dimensions);
  slots.forEach((slot, i) => {
    out.set(table.vector(slot), i * table.dimensions);
  });
  return out;
}
