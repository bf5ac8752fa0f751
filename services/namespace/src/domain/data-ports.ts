import type { MetadataValidators } from "./collections/metadata-validators.js";
import type { NamespacePorts } from "./ports.js";

/** What the collection, document and taxonomy domains need: the namespace ports plus schema validation. */
export interface DataPorts extends NamespacePorts {
  readonly metadataValidators: MetadataValidators;
}
