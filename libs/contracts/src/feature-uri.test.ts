import { describe, expect, it } from "vitest";
import { canonicalFeatureUri, FEATURE_URI_MAX, parseFeatureUri } from "./feature-uri.js";

describe("feature URIs", () => {
  it("parses both schemes into the strata:// spelling and refuses anything else", () => {
    expect(parseFeatureUri("mixpeek://my_plugin@1.0.0/my_embedding")).toEqual({
      extractor: "my_plugin",
      version: "1.0.0",
      output: "my_embedding",
      uri: "strata://my_plugin@1.0.0/my_embedding",
    });
    expect(parseFeatureUri("strata://text-hash@v1/embedding")?.uri).toBe("strata://text-hash@v1/embedding");
    for (const bad of [
      "",
      "strata://x@v1",
      "strata://@v1/o",
      "strata://x@/o",
      "strata://x@v1/o/p",
      "s3://x@v1/o",
      "strata://x@v1/o ",
      "STRATA://x@v1/o",
    ]) {
      expect(parseFeatureUri(bad), bad).toBeUndefined();
    }
  });

  it("gives the canonical spelling; the longest well-formed URI fits FEATURE_URI_MAX", () => {
    expect(canonicalFeatureUri("mixpeek://clip@2.1.0-rc.1/image")).toBe("strata://clip@2.1.0-rc.1/image");
    expect(canonicalFeatureUri("strata://x@v1")).toBeUndefined();
    const longest = `strata://${"e".repeat(64)}@${"v".repeat(32)}/${"o".repeat(64)}`;
    expect(longest.length).toBeLessThanOrEqual(FEATURE_URI_MAX);
    expect(parseFeatureUri(longest)?.uri).toBe(longest);
    expect(parseFeatureUri(`strata://${"e".repeat(65)}@v1/o`)).toBeUndefined();
  });
});
