import type { DocStore } from "@strata/docstore";
import type { CloneCleanUp, CloneStep } from "../../shared/clone-step.js";
import type { AppendEvent, Clock, EventsCommitted } from "../../shared/ports.js";
import type { DocumentVectors } from "../../shared/vectors/document-vectors.js";
import type { CloneRuns } from "./clone-runs.js";

/** What the clones module may touch: the store, the outbox, the vectors' turns and every module's step. */
export interface ClonePorts {
  readonly store: DocStore;
  readonly appendEvent: AppendEvent;
  readonly eventsCommitted: EventsCommitted;
  readonly clock: Clock;
  /** Its `exclusive` turns keep the source's documents still while the snapshot reads them. */
  readonly vectors: Pick<DocumentVectors, "exclusive">;
  /** Every module's part of a clone, in module order (modules.ts). */
  readonly cloneSteps: readonly CloneStep[];
  /** What removes a failed clone's writes outside the store. */
  readonly cloneCleanUps: readonly CloneCleanUp[];
  /** Clones running in this process: their progress and cancellation. */
  readonly cloneRuns: CloneRuns;
  readonly maxNamespacesPerOrganization: number;
  /** The start's caller's wait before a clone commits (tests hold a clone running); none: none. */
  readonly beforeCloneCommit: (() => Promise<void>) | undefined;
}
