import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { HotSpace } from "../port.js";
import { fsyncPath, writeFileAtomically } from "./durable-file.js";
import type { GraphOptions } from "./hnsw-graph.js";
import { HnswGraph } from "./hnsw-graph.js";

/** `graph.json`: which graph file is current and how far into the log's slots it reaches. */
export interface GraphSnapshot {
  readonly file: string;
  readonly indexedUpTo: number;
  readonly generation: number;
}

const MANIFEST = "graph.json";

/**
 * Writes the graph to a new file, then switches `graph.json` to it with an atomic rename (the
 * commit point), then deletes the previous file. A crash at any step leaves a consistent snapshot:
 * the old one or the new one.
 */
export function saveGraphSnapshot(
  dir: string,
  graph: HnswGraph,
  indexedUpTo: number,
  previous: GraphSnapshot | undefined,
): GraphSnapshot {
  const generation = (previous?.generation ?? 0) + 1;
  const file = `graph-${generation}.usearch`;
  graph.save(join(dir, file));
  fsyncPath(join(dir, file));
  const snapshot: GraphSnapshot = { file, indexedUpTo, generation };
  writeFileAtomically(join(dir, MANIFEST), JSON.stringify(snapshot));
  if (previous && previous.file !== file) rmSync(join(dir, previous.file), { force: true });
  return snapshot;
}

/**
 * Makes `file` (a graph already saved and fsynced in `dir`) the directory's snapshot, covering
 * slots below `indexedUpTo`: the manifest's atomic write is the commit point.
 */
export function adoptGraphFile(dir: string, file: string, indexedUpTo: number): void {
  const snapshot: GraphSnapshot = { file, indexedUpTo, generation: 1 };
  writeFileAtomically(join(dir, MANIFEST), JSON.stringify(snapshot));
}

/**
 * The saved graph, or undefined when there is none or it cannot be used (then the background task
 * rebuilds it from the vector table: the log, not the graph, is the source of truth).
 */
export function loadGraphSnapshot(
  dir: string,
  space: HotSpace,
  options: GraphOptions,
  slotCount: number,
): { graph: HnswGraph; snapshot: GraphSnapshot } | undefined {
  const manifest = join(dir, MANIFEST);
  if (!existsSync(manifest)) return undefined;
  try {
    const snapshot = JSON.parse(readFileSync(manifest, "utf8")) as GraphSnapshot;
    // A snapshot reaching past the log would refer to vectors that were never durable.
    if (!Number.isInteger(snapshot.indexedUpTo) || snapshot.indexedUpTo > slotCount) return undefined;
    const graph = HnswGraph.load(join(dir, snapshot.file), space.dimensions, space.metric, options);
    return { graph, snapshot };
  } catch {
    return undefined;
  }
}

/**
 * Deletes the snapshot: the manifest first (then the directory is fsynced, so no restart can pair
 * a graph with a log it does not describe), then every graph file. The graph stores its vectors
 * (half precision), dead ones included, so this is also how deleted vectors leave it.
 */
export function dropGraphSnapshot(dir: string): void {
  rmSync(join(dir, MANIFEST), { force: true });
  fsyncPath(dir);
  for (const name of readdirSync(dir)) {
    if (name.startsWith("graph-") && name.endsWith(".usearch")) rmSync(join(dir, name), { force: true });
  }
}
