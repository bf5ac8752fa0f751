import type { DocStore } from "@strata/docstore";
import type { AppendEvent, Clock, EventsCommitted } from "../../shared/ports.js";

/** What the namespaces module may touch: the namespaces table, the outbox, the clock and the running clones. */
export interface NamespacePorts {
  readonly store: DocStore;
  readonly appendEvent: AppendEvent;
  readonly eventsCommitted: EventsCommitted;
  readonly clock: Clock;
  /**
   * Clones running in this process: a lookup of one answers 409 without waiting for the store.
   * Absent where nothing can clone (tests of other modules).
   */
  readonly cloneRuns?: RunningClones;
}

/** The clones this process is copying, as a lookup sees them (the clones module's CloneRuns). */
export interface RunningClones {
  /** The running clone of the organization that `identifier` (an id or a name) names, if any. */
  runningClone(organizationId: string, identifier: string): { id: string; name: string } | undefined;
}
