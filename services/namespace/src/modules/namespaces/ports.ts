import type { DocStore } from "@strata/docstore";
import type { AppendEvent, Clock, EventsCommitted } from "../../shared/ports.js";
import type { CloneRuns } from "../clones/clone-runs.js";

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
  readonly cloneRuns?: Pick<CloneRuns, "runningClone">;
}
