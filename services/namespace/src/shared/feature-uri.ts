/**
 * Feature URIs name a vector space: `strata://{extractor}@{version}/{output}`. Mixpeek writes the
 * same thing as `mixpeek://…`; both are accepted and stored as `strata://…`, so one feature has one
 * spelling (a collection cannot declare both, and a document may use either).
 */
export interface FeatureUri {
  readonly extractor: string;
  readonly version: string;
  readonly output: string;
  /** The canonical strata:// spelling. */
  readonly uri: string;
}

export const FEATURE_URI_MAX = 200;

// Extractor and output: lower-case identifiers ("text_extractor", "clip_vit_l_14", "text-hash").
// Version: "v1", "1.0.0", "2.1.0-rc.1".
const SHAPE =
  /^(strata|mixpeek):\/\/([a-z0-9][a-z0-9_-]{0,63})@([A-Za-z0-9][A-Za-z0-9._-]{0,31})\/([a-z0-9][a-z0-9_-]{0,63})$/;

export const FEATURE_URI_FORMAT = "strata://{extractor}@{version}/{output} (or mixpeek://…)";

export function parseFeatureUri(text: string): FeatureUri | undefined {
  if (text.length > FEATURE_URI_MAX) return undefined;
  const match = SHAPE.exec(text);
  if (match === null) return undefined;
  const [, , extractor = "", version = "", output = ""] = match;
  return { extractor, version, output, uri: `strata://${extractor}@${version}/${output}` };
}
