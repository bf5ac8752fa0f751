import type { DocStore } from "@strata/docstore";
import type { MetadataValidators } from "../../shared/metadata-validators.js";
import type { AppendEvent, Clock, EventsCommitted } from "../../shared/ports.js";
import type { DocumentVectors } from "../../shared/vectors/document-vectors.js";

/**
 * What the collections module may touch: its table and (to delete a collection) its documents with
 * their document.deleted events and their vectors (whose counts a read shows); the schema
 * validators re-check existing documents' metadata when a schema changes.
 */
export interface CollectionPorts {
  readonly store: DocStore;
  readonly appendEvent: AppendEvent;
  readonly eventsCommitted: EventsCommitted;
  readonly clock: Clock;
  readonly metadataValidators: Pick<MetadataValidators, "checkAgainst">;
  readonly vectors: Pick<DocumentVectors, "removeCollection" | "stats">;
}
