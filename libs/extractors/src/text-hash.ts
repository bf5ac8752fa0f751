/**
 * `strata://text-hash@v1/embedding`: a lexical (bag-of-words) embedding. Texts that share words
 * score high; texts that say the same thing in different words do not. No model, no I/O, no state.
 */
import { Buffer } from "node:buffer";
import { type AppError, err, ok, type Result, validationFailed } from "@strata/errors";
import { murmur3 } from "./murmur3.js";
import { normaliseText, tokenise } from "./normalise.js";

export const TEXT_HASH_FEATURE_URI = "strata://text-hash@v1/embedding";

/**
 * 512 buckets: with a few hundred distinct features in a paragraph, collisions stay rare (the
 * signed-hash trick makes the rest cancel out on average), while a vector is still only 2 KiB and
 * as cheap to index and scan as a small sentence-embedding model's 384. Fixed for v1: stored vectors
 * are only comparable with queries hashed into the same buckets, so any change to the dimensions,
 * the hash, the seed, the features or their weights must ship under a new URI (`text-hash@v2`).
 */
export const TEXT_HASH_DIMENSIONS = 512;
export const TEXT_HASH_METRIC = "cosine";

/** 1 MiB of UTF-8. Bounds the work one call can do; a document's text beyond that is refused. */
export const TEXT_HASH_MAX_TEXT_BYTES = 1024 * 1024;

/** Part of the v1 definition: a different seed puts every token in a different bucket. */
const HASH_SEED = 0x5354_5241; // "STRA"

/**
 * Features: whole words plus character trigrams of each word padded with "<" and ">".
 * Words carry the meaning of a lexical match; trigrams make "recieve" still close to "receive" and
 * give some overlap between inflections ("index", "indexes") and inside unsegmented scripts (a run
 * of Chinese characters is one "word"). Word bigrams were not chosen: they only reward word order,
 * which a bag-of-words retriever barely needs, and they give no typo robustness.
 * Trigrams are down-weighted so a shared word outweighs the incidental trigrams ("ing", "the") that
 * unrelated texts share: an n-letter word has n trigrams, so a 4-letter word puts 1 into the
 * squared norm for the word and 4 × 0.5² = 1 for its spelling; the two weigh about equally.
 */
const CHAR_NGRAM = 3;
const WORD_WEIGHT = 1;
const CHAR_NGRAM_WEIGHT = 0.5;
// Namespaces keep the word "the" and the trigram "the" in different buckets.
const WORD_PREFIX = "w:";
const CHAR_NGRAM_PREFIX = "c:";

/**
 * The embedding of `text`, or a validation error when the text is too long or has no words (an
 * all-zero vector has no direction, so cosine against it is undefined).
 */
export function textHashEmbed(text: string): Result<Float32Array, AppError> {
  // A UTF-16 code unit never encodes to fewer than one UTF-8 byte, so the cheap length check is a
  // safe early rejection before counting bytes.
  if (text.length > TEXT_HASH_MAX_TEXT_BYTES || Buffer.byteLength(text, "utf8") > TEXT_HASH_MAX_TEXT_BYTES) {
    return err(
      validationFailed(
        [{ location: "text", message: `text exceeds ${TEXT_HASH_MAX_TEXT_BYTES} bytes`, type: "too_long" }],
        `text exceeds ${TEXT_HASH_MAX_TEXT_BYTES} bytes of UTF-8`,
      ),
    );
  }
  const counts = featureCounts(tokenise(normaliseText(text)));
  if (counts.size === 0) {
    return err(
      validationFailed(
        [{ location: "text", message: "text has no words to embed", type: "no_words" }],
        "text has no words to embed",
      ),
    );
  }
  const vector = hashFeatures(counts);
  if (vector === undefined) {
    return err(
      validationFailed(
        [{ location: "text", message: "text's features cancel out", type: "no_words" }],
        "text has no words to embed (its hashed features cancel out)",
      ),
    );
  }
  return ok(vector);
}

/** For callers that already know the text is valid (tests, fixtures). Throws on invalid text. */
export function textHashEmbedding(text: string): Float32Array {
  const result = textHashEmbed(text);
  if (!result.ok) {
    throw new Error(`textHashEmbedding: ${result.error.message}`);
  }
  return result.value;
}

/** Feature → weighted term count; the weight is folded in here so sublinear tf applies per kind. */
function featureCounts(words: readonly string[]): Map<string, { tf: number; weight: number }> {
  const counts = new Map<string, { tf: number; weight: number }>();
  const add = (feature: string, weight: number): void => {
    const entry = counts.get(feature);
    if (entry === undefined) {
      counts.set(feature, { tf: 1, weight });
    } else {
      entry.tf += 1;
    }
  };
  for (const word of words) {
    add(WORD_PREFIX + word, WORD_WEIGHT);
    // Iterate code points, not UTF-16 units, so an astral character is never cut in half.
    const chars = Array.from(`<${word}>`);
    for (let i = 0; i + CHAR_NGRAM <= chars.length; i++) {
      add(CHAR_NGRAM_PREFIX + chars.slice(i, i + CHAR_NGRAM).join(""), CHAR_NGRAM_WEIGHT);
    }
  }
  return counts;
}

/** The L2-normalised vector, or undefined when it would be all zeros. */
function hashFeatures(counts: ReadonlyMap<string, { tf: number; weight: number }>): Float32Array | undefined {
  // Accumulate in float64 and round once at the end, so the result does not depend on float32
  // rounding order.
  const acc = new Float64Array(TEXT_HASH_DIMENSIONS);
  for (const [feature, { tf, weight }] of counts) {
    const h = murmur3(feature, HASH_SEED);
    // Low bits pick the bucket, the top bit the sign: independent bits of a well-mixed hash.
    const bucket = h % TEXT_HASH_DIMENSIONS;
    const sign = h >>> 31 === 1 ? -1 : 1;
    // Sublinear tf: a word said ten times is stronger evidence than once, but not ten times stronger.
    acc[bucket] = (acc[bucket] ?? 0) + sign * weight * (1 + Math.log(tf));
  }
  let squares = 0;
  for (const value of acc) {
    squares += value * value;
  }
  // Features that exist could still cancel to exactly zero through signed collisions; such a
  // vector is as unsearchable as an empty text's.
  if (squares === 0) {
    return undefined;
  }
  const vector = new Float32Array(TEXT_HASH_DIMENSIONS);
  const inverseNorm = 1 / Math.sqrt(squares);
  for (let i = 0; i < acc.length; i++) {
    vector[i] = (acc[i] ?? 0) * inverseNorm;
  }
  return vector;
}
