import type { ValidationIssue } from "@strata/errors";
import { extractorFor } from "@strata/extractors";
import type { CollectionRecord } from "../../modules/collections/tables.js";
import { byFeatureUri, type StoredVector } from "../../modules/documents/tables.js";

/**
 * The given vectors plus, for each declared feature that has a built-in extractor and no given
 * vector, the vector extracted from the document's text. A document without text keeps only what
 * it was given; a vector the client sent wins over extraction.
 */
export function withExtractedFeatures(
  collection: Pick<CollectionRecord, "features">,
  given: readonly StoredVector[],
  text: string | undefined | null,
  issues: ValidationIssue[],
): StoredVector[] {
  const vectors = [...given];
  if (text === undefined || text === null || text === "") return vectors;
  for (const feature of collection.features) {
    if (given.some((v) => v.feature_uri === feature.feature_uri)) continue;
    const extractor = extractorFor(feature.feature_uri);
    if (extractor === undefined) continue;
    const extracted = extractor.extract(text);
    if (!extracted.ok) {
      issues.push({ location: "body.text", message: extracted.error.message, type: "extraction_failed" });
      continue;
    }
    vectors.push({ feature_uri: feature.feature_uri, vector: Array.from(extracted.value) });
  }
  return vectors.sort(byFeatureUri);
}
