/**
 * Feature URIs name a vector space: `strata://{extractor}@{version}/{output}`; `mixpeek://…` is the
 * same thing and is stored as `strata://…`. The same rules as the namespace service's parser
 * (services do not import each other), so a URI one accepts the other accepts too.
 */
export const FEATURE_URI_MAX = 200;
export const FEATURE_URI_FORMAT = "strata://{extractor}@{version}/{output} (or mixpeek://…)";

const SHAPE =
  /^(strata|mixpeek):\/\/([a-z0-9][a-z0-9_-]{0,63})@([A-Za-z0-9][A-Za-z0-9._-]{0,31})\/([a-z0-9][a-z0-9_-]{0,63})$/;

/** The canonical strata:// spelling, or undefined when `text` is not a feature URI. */
export function canonicalFeatureUri(text: string): string | undefined {
  if (text.length > FEATURE_URI_MAX) return undefined;
  const match = SHAPE.exec(text);
  if (match === null) return undefined;
  const [, , extractor = "", version = "", output = ""] = match;
  return `strata://${extractor}@${version}/${output}`;
}
