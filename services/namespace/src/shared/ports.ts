import type { TierName } from "@strata/contracts";
import type { DocStoreSession } from "@strata/docstore";
import type { EventEnvelope } from "@strata/events";

// The pieces each module's ports.ts picks from. No module receives a bundle bigger than its ports.ts
// says: start.ts builds the adapters once and the registry hands each module only these.

/** Records an event inside the caller's transaction (the outbox). */
export type AppendEvent = (tx: DocStoreSession, event: EventEnvelope) => Promise<void>;

/** Called after a transaction that appended events committed, so the relay publishes them now. */
export type EventsCommitted = () => void;

/** Tests move time; the service passes the system clock. */
export type Clock = () => Date;

/**
 * Counts reads and search hits of documents for tiering (document.accessed). Never a store write
 * per access: an in-memory aggregate that the service flushes in batches.
 */
export interface RecordAccess {
  reads(documents: readonly AccessedDocument[]): void;
  hits(documents: readonly AccessedDocument[]): void;
}

export interface AccessedDocument {
  readonly namespace_id: string;
  readonly organization_id: string;
  readonly collection_id: string;
  readonly document_id: string;
  readonly tier: TierName;
}
