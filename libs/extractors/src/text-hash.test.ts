import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  TEXT_HASH_DIMENSIONS,
  TEXT_HASH_FEATURE_URI,
  TEXT_HASH_MAX_TEXT_BYTES,
  textHashEmbed,
  textHashEmbedding,
} from "./text-hash.js";

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    aa += x * x;
    bb += y * y;
  }
  return dot / Math.sqrt(aa * bb);
}

/** SHA-256 of the vector as little-endian float32, whatever the host's byte order. */
function fingerprint(vector: Float32Array): string {
  const view = new DataView(new ArrayBuffer(vector.length * 4));
  vector.forEach((value, i) => {
    view.setFloat32(i * 4, value, true);
  });
  return createHash("sha256").update(new Uint8Array(view.buffer)).digest("hex");
}

describe("textHashEmbedding", () => {
  it("is v1 with 512 dimensions", () => {
    expect(TEXT_HASH_FEATURE_URI).toBe("strata://text-hash@v1/embedding");
    expect(TEXT_HASH_DIMENSIONS).toBe(512);
    expect(textHashEmbedding("hello world")).toHaveLength(512);
  });

  it("gives the bit-identical vector for the same text", () => {
    const text = "Strata stores vectors in hot and warm tiers.";
    expect(fingerprint(textHashEmbedding(text))).toBe(fingerprint(textHashEmbedding(`${text}`)));
  });

  it("matches the pinned v1 vector (a change here means stored vectors are stale: ship v2)", () => {
    const vector = textHashEmbedding("The quick brown fox jumps over the lazy dog");
    expect(fingerprint(vector)).toBe("8912ecd00499c18e370458769b4a9a14787370e84ad3f9f1627c82998864559a");
  });

  it("puts a word and its padded trigrams in signed buckets, the word weighing twice a trigram", () => {
    // "fox" → w:fox (weight 1) + c:<fo, c:fox, c:ox> (weight 0.5 each), norm √1.75.
    const sparse: [number, number][] = [];
    textHashEmbedding("fox").forEach((value, i) => {
      if (value !== 0) sparse.push([i, value]);
    });
    const w = Math.fround(1 / Math.sqrt(1.75));
    const c = Math.fround(0.5 / Math.sqrt(1.75));
    expect(sparse).toEqual([
      [113, -c],
      [154, w],
      [156, -c],
      [313, c],
    ]);
  });

  it("returns unit-norm vectors", () => {
    for (const text of [
      "a",
      "hello world",
      "the the the the",
      "Ünïcödé 東京タワー 123",
      "x".repeat(10_000),
    ]) {
      const vector = textHashEmbedding(text);
      let squares = 0;
      for (const value of vector) {
        squares += value * value;
      }
      expect(Math.sqrt(squares)).toBeCloseTo(1, 6);
    }
  });

  it("ignores case, accents, full-width forms and punctuation", () => {
    const plain = fingerprint(textHashEmbedding("creme brulee recipe"));
    expect(fingerprint(textHashEmbedding("Crème Brûlée RECIPE"))).toBe(plain);
    expect(fingerprint(textHashEmbedding("ＣＲＥＭＥ　ＢＲＵＬＥＥ　ｒｅｃｉｐｅ"))).toBe(plain);
    expect(fingerprint(textHashEmbedding("  crème-brûlée, recipe!!"))).toBe(plain);
    expect(fingerprint(textHashEmbedding("creme brulee recipes"))).not.toBe(plain);
  });

  it("scores a document sharing the query's words above one that shares none", () => {
    const query = textHashEmbedding("how to bake sourdough bread");
    const sharing = textHashEmbedding("A guide to sourdough: bake crusty bread at home with a starter.");
    const unrelated = textHashEmbedding("Kubernetes operators reconcile custom resources in a cluster.");
    expect(cosine(query, sharing)).toBeGreaterThan(cosine(query, unrelated) + 0.2);
    expect(cosine(query, unrelated)).toBeLessThan(0.2);
  });

  it("does not let one repeated word drown out the others (sublinear tf)", () => {
    const battery = textHashEmbedding("battery");
    // With raw counts this would be about 0.05; 1 + ln(20) = 4 keeps it visible.
    expect(cosine(battery, textHashEmbedding(`${"solar ".repeat(20)}battery`))).toBeGreaterThan(0.2);
  });

  it("scores a document sharing more of the query's words higher", () => {
    const query = textHashEmbedding("solar panel battery storage");
    const two = textHashEmbedding("solar panel installation on the roof");
    const three = textHashEmbedding("solar panel with battery on the roof");
    expect(cosine(query, three)).toBeGreaterThan(cosine(query, two));
  });

  it("still finds a word through a small typo", () => {
    const query = textHashEmbedding("recieve payment");
    const typo = textHashEmbedding("receive payment confirmation");
    const other = textHashEmbedding("deliver parcel confirmation");
    expect(cosine(query, typo)).toBeGreaterThan(cosine(query, other));
  });
});

describe("textHashEmbed errors", () => {
  it.each(["", "   ", "...!?", "\n\t—–", "🙂🙂"])("refuses %j: no words", (text) => {
    const result = textHashEmbed(text);
    expect(result).toMatchObject({
      ok: false,
      error: { kind: "validation", message: "text has no words to embed" },
    });
  });

  it("refuses text over 1 MiB of UTF-8, and accepts exactly 1 MiB", () => {
    const limit = TEXT_HASH_MAX_TEXT_BYTES;
    expect(limit).toBe(1024 * 1024);
    const atLimit = "abc ".repeat(limit / 4);
    expect(Buffer.byteLength(atLimit)).toBe(limit);
    expect(textHashEmbed(atLimit).ok).toBe(true);
    expect(textHashEmbed(`${atLimit}x`)).toMatchObject({ ok: false, error: { kind: "validation" } });
    // Fewer code units than the limit but more bytes: "é" is 2 bytes.
    const accented = "é".repeat(limit / 2 + 1);
    expect(accented.length).toBeLessThan(limit);
    expect(textHashEmbed(accented)).toMatchObject({ ok: false, error: { kind: "validation" } });
  });

  it("throws from the unchecked variant", () => {
    expect(() => textHashEmbedding("")).toThrow(/no words/);
  });
});
