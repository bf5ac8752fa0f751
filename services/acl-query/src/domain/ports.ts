import type { DocStore, DocStoreSession } from "@strata/docstore";
import type { Result } from "@strata/errors";
import type { EventEnvelope } from "@strata/events";
import type { NamespaceData } from "./namespace-data.js";

/** What the acl-query domain needs from the outside world; the service start wires the adapters. */
export interface AclQueryPorts {
  readonly store: DocStore;
  /** Records an event inside the caller's transaction (the outbox). */
  readonly appendEvent: (tx: DocStoreSession, event: EventEnvelope) => Promise<void>;
  /** Called after a transaction that appended events committed, so the relay publishes them now. */
  readonly eventsCommitted: () => void;
  readonly clock: () => Date;
  /**
   * Runs `work` at most once per (consumer, event id): the mark is written in the same transaction
   * as the work, so a redelivered event answers "duplicate" (the inbox).
   */
  readonly processOnce: <T, E>(
    consumer: string,
    eventId: string,
    work: (tx: DocStoreSession) => Promise<Result<T, E>>,
  ) => Promise<Result<T | "duplicate", E>>;
  /** Collections, documents and search, owned by the namespace service. */
  readonly namespaceData: NamespaceData;
}
