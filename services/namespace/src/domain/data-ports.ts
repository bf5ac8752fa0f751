import type { MetadataValidators } from "./collections/metadata-validators.js";
import type { NamespacePorts } from "./ports.js";
import type { DocumentVectors } from "./vectors/document-vectors.js";

/** What the collection, document and taxonomy domains need: the namespace ports plus schema validation. */
export interface DataPorts extends NamespacePorts {
  readonly metadataValidators: MetadataValidators;
  /** The hot tier's vectors (the embedded index or Qdrant). */
  readonly vectors: DocumentVectors;
}
