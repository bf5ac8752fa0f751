import type { DocStore } from "@strata/docstore";
import type { AppendEvent, Clock, EventsCommitted } from "../../shared/ports.js";
import type { DocumentVectors } from "../../shared/vectors/document-vectors.js";
import type { TierStores } from "../../shared/vectors/tier-vectors.js";

/** Runs work when one of a bounded number of slots is free (moves never take every slot queries need). */
export interface WorkSlots {
  run<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * What the tiers module may touch: the documents' records (their tier pointer and lineage), the
 * outbox, every vector tier, the documents' turns (a move and a write of one document never
 * interleave in this process) and the slots that bound how many moves run at once.
 */
export interface TierPorts {
  readonly store: DocStore;
  readonly appendEvent: AppendEvent;
  readonly eventsCommitted: EventsCommitted;
  readonly clock: Clock;
  readonly tiers: TierStores;
  readonly vectors: Pick<DocumentVectors, "exclusive">;
  readonly moveSlots: WorkSlots;
}
