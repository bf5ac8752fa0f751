import type { DataPorts } from "../../domain/data-ports.js";

/** Names one chunk of work on the work queue. */
export interface BatchChunkRef {
  readonly batchId: string;
  readonly chunk: number;
}

export interface BatchPorts extends DataPorts {
  /**
   * Hands chunks to the work queue. Called after the batch committed; a lost call is repaired by
   * the start-up sweep (`unfinishedChunks`), and a repeated one is harmless (chunks are idempotent).
   */
  readonly enqueueChunks: (chunks: readonly BatchChunkRef[]) => Promise<void>;
}
