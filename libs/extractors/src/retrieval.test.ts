import { describe, expect, it } from "vitest";
import { textHashEmbedding } from "./text-hash.js";

// A tiny end-to-end check of what a user gets from the lexical extractor: 50 short texts on
// distinct topics, each found again by a query made of a few of its words. The texts share a pool
// of common English words so the topic words, not the filler, must carry the match.

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FILLER = (
  "the a of and to in is for on with that this it as by from at are be was how what about into " +
  "guide notes overview basics introduction using new common simple practical"
).split(" ");
const SYLLABLES =
  "ka lo mi ne ru sa ti vo ze bra cli dro fen gar hul jix kor lum mav nop qui ster tav win yel zor".split(
    " ",
  );

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

function buildCorpus(): { docs: string[]; queries: string[] } {
  const random = mulberry32(42);
  const used = new Set<string>();
  const topicWord = (): string => {
    for (;;) {
      const word = Array.from({ length: 2 + Math.floor(random() * 2) }, () => pick(random, SYLLABLES)).join(
        "",
      );
      if (!used.has(word)) {
        used.add(word);
        return word;
      }
    }
  };
  const docs: string[] = [];
  const queries: string[] = [];
  for (let topic = 0; topic < 50; topic++) {
    const words = Array.from({ length: 6 }, topicWord);
    const filler = Array.from({ length: 10 }, () => pick(random, FILLER));
    const mixed = [...words, ...filler].sort(() => random() - 0.5);
    docs.push(`${mixed.join(" ")}.`);
    // The query is a subset of the text's own words: 3 of its 6 topic words (capitalised, to go
    // through normalisation) and 2 of its filler words, which many other texts share too.
    const chosen = words.filter((_, i) => i % 2 === topic % 2).map((w) => w.toUpperCase());
    queries.push([pick(random, filler), ...chosen, pick(random, filler)].join(" "));
  }
  return { docs, queries };
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
}

describe("lexical retrieval with text-hash vectors", () => {
  it("finds each of 50 texts in the top 3 when queried with a few of its words", () => {
    const { docs, queries } = buildCorpus();
    const docVectors = docs.map(textHashEmbedding);
    const ranks = queries.map((query, target) => {
      const q = textHashEmbedding(query);
      // Vectors are unit-norm, so the dot product is the cosine.
      const scores = docVectors.map((d, i) => ({ i, score: dot(q, d) }));
      scores.sort((x, y) => y.score - x.score);
      return scores.findIndex((s) => s.i === target);
    });
    const misses = ranks.flatMap((rank, i) => (rank < 3 ? [] : [{ query: queries[i], rank }]));
    expect(misses).toEqual([]);
    // Stronger than required, and what bag-of-words should give on this data: nearly all rank 1.
    expect(ranks.filter((rank) => rank === 0).length).toBeGreaterThanOrEqual(48);
  });
});
