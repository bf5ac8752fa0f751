import type { TableSpec } from "@strata/docstore";
import { BATCH_TABLE_SPECS } from "./batches/batch-tables.js";
import { BUCKET_TABLE_SPECS } from "./buckets/bucket-tables.js";
import { COLLECTION_TABLE_SPECS } from "./collections/collection-tables.js";
import { DOCUMENT_TABLE_SPECS } from "./documents/document-tables.js";
import { TAXONOMY_TABLE_SPECS } from "./taxonomies/taxonomy-tables.js";

/** The tables of collections, documents and taxonomies (ensured at start next to the namespace tables). */
export const DATA_TABLE_SPECS: readonly TableSpec[] = [
  ...COLLECTION_TABLE_SPECS,
  ...DOCUMENT_TABLE_SPECS,
  ...TAXONOMY_TABLE_SPECS,
  ...BATCH_TABLE_SPECS,
  ...BUCKET_TABLE_SPECS,
];
