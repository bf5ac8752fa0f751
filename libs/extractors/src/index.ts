export type { Extractor, ExtractorMetric } from "./extractor.js";
export { builtInExtractors, extractorFor, textHashExtractor } from "./extractor.js";
export { murmur3, murmur3Bytes } from "./murmur3.js";
export { normaliseText, tokenise } from "./normalise.js";
export {
  TEXT_HASH_DIMENSIONS,
  TEXT_HASH_FEATURE_URI,
  TEXT_HASH_MAX_TEXT_BYTES,
  TEXT_HASH_METRIC,
  textHashEmbed,
  textHashEmbedding,
} from "./text-hash.js";
