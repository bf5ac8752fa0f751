import { rmSync } from "node:fs";
import { open, rename } from "node:fs/promises";
import { dirname } from "node:path";
import { fsyncPath } from "./durable-file.js";
import type { DecodedRecord } from "./log-codec.js";
import { encodeStage, encodeUpsert } from "./log-codec.js";
import type { VectorTable } from "./vector-table.js";
import { encodeFrame } from "./write-ahead-log.js";

/** Where a compaction writes the new log before renaming it over the old one. */
export const COMPACTING_SUFFIX = ".compact";

/** The points a compaction passes, in order (a crash between any two leaves the old log or the new). */
export type CompactionStep = "graph-dropped" | "chunk-written" | "log-written" | "log-renamed" | "dir-synced";

export interface CompactionOptions {
  /** Records per frame of the new log: each is encoded (and applied) in one synchronous step. */
  readonly recordsPerFrame?: number;
  /** Called as each step completes (tests copy the directory here to simulate a crash). */
  readonly onStep?: (step: CompactionStep) => void;
}

const DEFAULT_RECORDS_PER_FRAME = 1024;

/**
 * The frame bodies of a log holding only what is live: every live vector in slot order (so a
 * replay keeps their relative order), then every staged write not settled yet (ADR 0013). Lazy,
 * so the caller writes one frame before the next is built and the event loop gets a turn between;
 * `onFrame` sees each body as it is produced.
 */
export function* liveFrames(
  table: VectorTable,
  staged: ReadonlyMap<string, readonly DecodedRecord[]>,
  onFrame: (body: Buffer) => void,
  recordsPerFrame = DEFAULT_RECORDS_PER_FRAME,
): Generator<Buffer> {
  for (const body of liveBodies(table, staged, recordsPerFrame)) {
    onFrame(body);
    yield body;
  }
}

function* liveBodies(
  table: VectorTable,
  staged: ReadonlyMap<string, readonly DecodedRecord[]>,
  recordsPerFrame: number,
): Generator<Buffer> {
  let records = [];
  for (let slot = 0; slot < table.slotCount; slot++) {
    if (!table.isAlive(slot)) continue;
    const id = table.idOf(slot);
    const collectionId = table.collectionOf(slot);
    records.push({ id, collectionId, payload: table.payloadOf(slot), vector: table.vector(slot) });
    if (records.length === recordsPerFrame) {
      yield encodeUpsert(records, table.dimensions);
      records = [];
    }
  }
  if (records.length > 0) yield encodeUpsert(records, table.dimensions);
  for (const [writeId, pending] of staged) {
    const asRecords = pending.map((r) => ({ ...r, vector: toFloats(r.vectorBytes) }));
    yield encodeStage(writeId, asRecords, table.dimensions);
  }
}

/**
 * Replaces the log at `path` with the frames of `bodies`: written to `path.compact`, fsynced,
 * renamed over `path` (the commit point), then the directory fsynced. Until the rename the old log
 * is whole; after it the new one is; a `.compact` file found at open is an unfinished attempt.
 */
export async function rewriteLog(
  path: string,
  bodies: Iterable<Buffer>,
  onStep: (step: CompactionStep) => void,
): Promise<void> {
  const temp = `${path}${COMPACTING_SUFFIX}`;
  // The log holds users' vectors and metadata: 0600 whatever the umask.
  const handle = await open(temp, "w", 0o600);
  try {
    for (const body of bodies) {
      await handle.write(encodeFrame(body));
      onStep("chunk-written");
    }
    await handle.datasync();
  } catch (error) {
    await handle.close();
    rmSync(temp, { force: true });
    throw error;
  }
  await handle.close();
  onStep("log-written");
  await rename(temp, path);
  onStep("log-renamed");
  fsyncPath(dirname(path));
  onStep("dir-synced");
}

/** Removes what an interrupted compaction left (the old log is still the whole truth then). */
export function removeUnfinishedCompaction(path: string): void {
  rmSync(`${path}${COMPACTING_SUFFIX}`, { force: true });
}

function toFloats(bytes: Uint8Array): Float32Array {
  return new Float32Array(Uint8Array.from(bytes).buffer);
}
