import type { DocStore } from "@strata/docstore";
import type { AppendEvent, Clock, EventsCommitted } from "../../shared/ports.js";

/** What the namespaces module may touch: the namespaces table, the outbox and the clock. */
export interface NamespacePorts {
  readonly store: DocStore;
  readonly appendEvent: AppendEvent;
  readonly eventsCommitted: EventsCommitted;
  readonly clock: Clock;
}
