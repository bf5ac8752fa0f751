import { describe, expect, it } from "vitest";
import { builtInExtractors, extractorFor } from "./extractor.js";
import { textHashEmbedding } from "./text-hash.js";

describe("built-in extractors", () => {
  it("resolves the text-hash feature URI to an extractor that fills it", () => {
    const extractor = extractorFor("strata://text-hash@v1/embedding");
    expect(extractor).toMatchObject({
      featureUri: "strata://text-hash@v1/embedding",
      dimensions: 512,
      metric: "cosine",
    });
    const result = extractor?.extract("Hello, world");
    expect(result?.ok).toBe(true);
    if (result?.ok) {
      expect(result.value).toHaveLength(extractor?.dimensions ?? 0);
      expect(result.value).toEqual(textHashEmbedding("hello world"));
    }
    expect(extractor?.extract(" ,. ")).toMatchObject({ ok: false, error: { kind: "validation" } });
  });

  it("knows no other URI, not even another version or output of text-hash", () => {
    for (const uri of [
      "strata://text-hash@v2/embedding",
      "strata://text-hash@v1/tokens",
      "mixpeek://text-hash@v1/embedding",
      "strata://clip@v1/embedding",
      "",
    ]) {
      expect(extractorFor(uri)).toBeUndefined();
    }
  });

  it("lists each built-in once, with a URI in the strata://{extractor}@{version}/{output} shape", () => {
    const uris = builtInExtractors.map((e) => e.featureUri);
    expect(new Set(uris).size).toBe(uris.length);
    for (const uri of uris) {
      expect(uri).toMatch(/^strata:\/\/[a-z0-9-]+@v\d+\/[a-z0-9_-]+$/);
      expect(extractorFor(uri)?.featureUri).toBe(uri);
    }
  });
});
