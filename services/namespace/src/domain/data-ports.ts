import type { MetadataValidators } from "../shared/metadata-validators.js";
import type { NamespacePorts } from "../shared/ports.js";
import type { DocumentVectors } from "../shared/vectors/document-vectors.js";

/** What the collection, document and taxonomy domains need: the namespace ports plus schema validation. */
export interface DataPorts extends NamespacePorts {
  readonly metadataValidators: MetadataValidators;
  /** The hot tier's vectors (the embedded index or Qdrant). */
  readonly vectors: DocumentVectors;
}
