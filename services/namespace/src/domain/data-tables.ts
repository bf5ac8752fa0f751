import type { TableSpec } from "@strata/docstore";
import { BATCH_TABLE_SPECS } from "../modules/batches/tables.js";
import { BUCKET_TABLE_SPECS } from "../modules/buckets/tables.js";
import { COLLECTION_TABLE_SPECS } from "../modules/collections/tables.js";
import { DOCUMENT_TABLE_SPECS } from "../modules/documents/tables.js";
import { TAXONOMY_TABLE_SPECS } from "../modules/taxonomies/tables.js";

/** The tables of collections, documents and taxonomies (ensured at start next to the namespace tables). */
export const DATA_TABLE_SPECS: readonly TableSpec[] = [
  ...COLLECTION_TABLE_SPECS,
  ...DOCUMENT_TABLE_SPECS,
  ...TAXONOMY_TABLE_SPECS,
  ...BATCH_TABLE_SPECS,
  ...BUCKET_TABLE_SPECS,
];
