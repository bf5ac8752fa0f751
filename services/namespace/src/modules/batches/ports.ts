import type { DocStore } from "@strata/docstore";
import type { AppendEvent, Clock, EventsCommitted } from "../../shared/ports.js";
import type { DocumentPorts } from "../documents/ports.js";

/** Names one chunk of work on the work queue. */
export interface BatchChunkRef {
  readonly batchId: string;
  readonly chunk: number;
}

/**
 * What batches may touch: their two tables, the outbox, the work queue, and what the documents
 * module's write API needs to write a chunk's documents (its schema validators and vectors).
 */
export interface BatchPorts {
  readonly store: DocStore;
  readonly appendEvent: AppendEvent;
  readonly eventsCommitted: EventsCommitted;
  readonly clock: Clock;
  readonly metadataValidators: DocumentPorts["metadataValidators"];
  readonly vectors: DocumentPorts["vectors"];
  /**
   * Hands chunks to the work queue. Called after the batch committed; a lost call is repaired by
   * the start-up sweep (`unfinishedChunks`), and a repeated one is harmless (chunks are idempotent).
   */
  readonly enqueueChunks: (chunks: readonly BatchChunkRef[]) => Promise<void>;
}
