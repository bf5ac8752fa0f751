/**
 * Text normalisation and tokenisation for the lexical text-hash extractor.
 *
 * Every step uses locale-independent Unicode operations so a document embedded on one machine and a
 * query embedded on another agree token for token.
 */

// Non-spacing marks are where Latin, Greek and Cyrillic accents live once a string is decomposed.
// Spacing marks (\p{Mc}, e.g. Devanagari vowel signs) carry meaning in their scripts and are kept.
const NON_SPACING_MARKS = /\p{Mn}/gu;
// A word is a run of letters and digits; marks left after stripping stay inside their word rather
// than splitting it.
const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu;

/**
 * NFKC folds compatibility forms (full-width "ＡＢＣ", ligatures "ﬁ", superscripts) to their plain
 * letters; `toLowerCase` applies the Unicode default case mapping (`toLocaleLowerCase` would depend
 * on the host's ICU locale data, e.g. Turkish dotted I); NFD + dropping non-spacing marks removes
 * accents so "café" and "cafe" match; NFC recomposes what is left (Hangul syllables, etc.).
 */
export function normaliseText(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .normalize("NFD")
    .replace(NON_SPACING_MARKS, "")
    .normalize("NFC");
}

/** The words of already-normalised text, in order. */
export function tokenise(normalised: string): string[] {
  return normalised.match(WORD) ?? [];
}
