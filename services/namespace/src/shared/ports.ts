import type { DocStore, DocStoreSession } from "@strata/docstore";
import type { EventEnvelope } from "@strata/events";

/** What the namespace domain needs from the outside world; the service start wires the adapters. */
export interface NamespacePorts {
  readonly store: DocStore;
  /** Records an event inside the caller's transaction (the outbox). */
  readonly appendEvent: (tx: DocStoreSession, event: EventEnvelope) => Promise<void>;
  /** Called after a transaction that appended events committed, so the relay publishes them now. */
  readonly eventsCommitted: () => void;
  readonly clock: () => Date;
}
