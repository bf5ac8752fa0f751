/**
 * Extractors the platform runs itself, so a collection can declare a feature and have it filled
 * from a document's `text` without the client computing a vector.
 */
import type { AppError, Result } from "@strata/errors";
import { TEXT_HASH_DIMENSIONS, TEXT_HASH_FEATURE_URI, TEXT_HASH_METRIC, textHashEmbed } from "./text-hash.js";

export type ExtractorMetric = "cosine";

export interface Extractor {
  /** `strata://{extractor}@{version}/{output}`. */
  readonly featureUri: string;
  readonly dimensions: number;
  readonly metric: ExtractorMetric;
  /** Pure and deterministic: the same text always gives the bit-identical vector. */
  extract(text: string): Result<Float32Array, AppError>;
}

export const textHashExtractor: Extractor = Object.freeze({
  featureUri: TEXT_HASH_FEATURE_URI,
  dimensions: TEXT_HASH_DIMENSIONS,
  metric: TEXT_HASH_METRIC,
  extract: textHashEmbed,
});

export const builtInExtractors: readonly Extractor[] = Object.freeze([textHashExtractor]);

const byUri: ReadonlyMap<string, Extractor> = new Map(builtInExtractors.map((e) => [e.featureUri, e]));

/** The built-in extractor that produces `featureUri`, or undefined when the platform has none. */
export function extractorFor(featureUri: string): Extractor | undefined {
  return byUri.get(featureUri);
}
