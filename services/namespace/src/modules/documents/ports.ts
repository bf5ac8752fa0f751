import type { DocStore } from "@strata/docstore";
import type { MetadataValidators } from "../../shared/metadata-validators.js";
import type { AppendEvent, Clock, EventsCommitted, RecordAccess } from "../../shared/ports.js";
import type { DocumentVectors } from "../../shared/vectors/document-vectors.js";

/**
 * What the documents module may touch: its table (collections and taxonomies are read to check a
 * document against them), the outbox, the collections' metadata schemas and the hot tier's vectors.
 */
export interface DocumentPorts {
  readonly store: DocStore;
  readonly appendEvent: AppendEvent;
  readonly eventsCommitted: EventsCommitted;
  readonly clock: Clock;
  readonly metadataValidators: Pick<MetadataValidators, "validate">;
  readonly vectors: Pick<DocumentVectors, "read" | "settled" | "stage" | "inDoubt" | "exclusive" | "remove">;
  /** Direct gets are counted for tiering (a cold document read is promoted by policy); batches count none. */
  readonly recordAccess?: RecordAccess;
}
