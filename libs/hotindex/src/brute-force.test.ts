import { describe, expect, it } from "vitest";
import { BruteForceCosine } from "./brute-force.js";
import { clusteredVectors } from "./clustered-vectors.js";
import { exactScore } from "./scoring.js";

describe("BruteForceCosine", () => {
  const dims = 16;
  const data = clusteredVectors({ count: 500, dimensions: dims, clusters: 5, seed: 9 });
  const brute = new BruteForceCosine(data.data, dims);
  const query = data.queries(1, 3).vector(0);
  const byScore = (rows: number[]) =>
    rows
      .map((row) => ({ row, score: exactScore("cosine", query, data.vector(row)) }))
      .sort((a, b) => b.score - a.score)
      .map((r) => r.row);

  it("answers the exact cosine top-k, best first", () => {
    const all = Array.from({ length: 500 }, (_, i) => i);
    expect(brute.topK(query, 10)).toEqual(byScore(all).slice(0, 10));
  });

  it("leaves out the rows `accept` refuses", () => {
    const even = Array.from({ length: 250 }, (_, i) => i * 2);
    expect(brute.topK(query, 5, (row) => row % 2 === 0)).toEqual(byScore(even).slice(0, 5));
  });
});
