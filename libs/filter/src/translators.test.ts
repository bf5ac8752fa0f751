import type { QueryVectorsCommandInput } from "@aws-sdk/client-s3vectors";
import type { Schemas } from "@qdrant/js-client-rest";
import type { Where } from "@strata/docstore";
import { describe, expect, it } from "vitest";
import type { BoundFilterNode } from "./ast.js";
import { MATCH_ALL, MATCH_NOTHING } from "./ast.js";
import { MAX_EXPANDED_VALUES } from "./limits.js";
import { parseFilter } from "./parse-filter.js";
import { toDocStoreWhere } from "./to-docstore-where.js";
import { toQdrantFilter } from "./to-qdrant-filter.js";
import { toS3VectorsFilter } from "./to-s3-vectors-filter.js";

function bound(json: unknown): BoundFilterNode {
  const r = parseFilter(json);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value as BoundFilterNode;
}

function value<T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

const sample = bound({
  AND: [
    { field: "metadata.year", operator: "gte", value: 2020 },
    {
      OR: [
        { field: "metadata.genre", value: "drama" },
        { field: "metadata.tags", operator: "in", value: ["a", 1] },
      ],
    },
    { NOT: [{ field: "metadata.draft", value: true }] },
  ],
});

describe("toDocStoreWhere", () => {
  it("maps eq to $eq-or-$contains (an array holding the value matches) and keeps the tree", () => {
    const where: Where = value(toDocStoreWhere(sample));
    expect(where).toEqual({
      $and: [
        { "metadata.year": { $gte: 2020 } },
        {
          $or: [
            { $or: [{ "metadata.genre": { $eq: "drama" } }, { "metadata.genre": { $contains: "drama" } }] },
            {
              $or: [{ "metadata.tags": { $in: ["a", 1] } }, { "metadata.tags": { $containsAny: ["a", 1] } }],
            },
          ],
        },
        { $not: { $or: [{ "metadata.draft": { $eq: true } }, { "metadata.draft": { $contains: true } }] } },
      ],
    });
  });

  it("rejects a string contains (substring) unless the field is declared an array", () => {
    const node = bound({ field: "title", operator: "contains", value: "ell" });
    const r = toDocStoreWhere(node);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.error).toMatchObject({ kind: "validation", details: { backend: "docstore", field: "title" } });
    expect(value(toDocStoreWhere(node, { arrayFields: new Set(["title"]) }))).toEqual({
      $or: [{ title: { $eq: "ell" } }, { title: { $contains: "ell" } }],
    });
    expect(value(toDocStoreWhere(bound({ field: "n", operator: "contains", value: 2 })))).toEqual({
      $or: [{ n: { $eq: 2 } }, { n: { $contains: 2 } }],
    });
  });
});

describe("toDocStoreWhere on expanded filters", () => {
  // What the namespace service makes of a taxonomy filter: one alternative per label below the node.
  const expanded = (labels: number): BoundFilterNode => ({
    kind: "or",
    nodes: Array.from({ length: labels }, (_, i) => ({
      kind: "condition",
      field: "taxonomy_terms",
      operator: "contains",
      value: `tax_1:label_${i}`,
    })),
  });
  const arrayFields = new Set(["taxonomy_terms"]);

  it("translates up to MAX_EXPANDED_VALUES values, counting sets by their size", () => {
    expect(toDocStoreWhere(expanded(MAX_EXPANDED_VALUES), { arrayFields }).ok).toBe(true);
    const values = Array.from({ length: MAX_EXPANDED_VALUES - 1 }, (_, i) => i);
    const atLimit: BoundFilterNode = {
      kind: "and",
      nodes: [
        { kind: "condition", field: "n", operator: "nin", value: values },
        { kind: "condition", field: "n", operator: "gt", value: 1 },
      ],
    };
    expect(toDocStoreWhere(atLimit).ok).toBe(true);
  });

  it("refuses a filter expanded past MAX_EXPANDED_VALUES with a validation error (422)", () => {
    const r = toDocStoreWhere({ kind: "not", node: expanded(MAX_EXPANDED_VALUES + 1) }, { arrayFields });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatchObject({
        kind: "validation",
        details: { values: MAX_EXPANDED_VALUES + 1, limit: MAX_EXPANDED_VALUES },
      });
      expect(r.error.message).toMatch(/at most 50000/);
    }
  });
});

describe("toQdrantFilter", () => {
  it("uses must / should / must_not with match, match.any and range; prefixes keys", () => {
    const filter: Schemas["Filter"] = value(toQdrantFilter(sample, { fieldPrefix: "doc." }));
    expect(filter).toEqual({
      must: [
        { key: "doc.metadata.year", range: { gte: 2020 } },
        {
          should: [
            { key: "doc.metadata.genre", match: { value: "drama" } },
            {
              should: [
                { key: "doc.metadata.tags", match: { any: ["a"] } },
                { key: "doc.metadata.tags", match: { any: [1] } },
              ],
            },
          ],
        },
        { must_not: [{ key: "doc.metadata.draft", match: { value: true } }] },
      ],
    });
  });

  it("expresses ne / nin / NOT OR / exists / non-integers", () => {
    const node = bound({
      AND: [
        { field: "a", operator: "ne", value: "x" },
        { field: "b", operator: "nin", value: [1, 2, true, 2.5] },
        {
          NOT: [
            { field: "c", value: 1 },
            { field: "d", value: 2 },
          ],
        },
        { field: "e", operator: "exists", value: true },
        { field: "f", operator: "exists", value: false },
        { field: "g", operator: "eq", value: 0.5 },
      ],
    });
    expect(value(toQdrantFilter(node))).toEqual({
      must: [
        { must_not: [{ key: "a", match: { value: "x" } }] },
        {
          must_not: [
            {
              should: [
                { key: "b", match: { any: [1, 2] } },
                { key: "b", match: { value: true } },
                { key: "b", range: { gte: 2.5, lte: 2.5 } },
              ],
            },
          ],
        },
        {
          must_not: [
            { key: "c", match: { value: 1 } },
            { key: "d", match: { value: 2 } },
          ],
        },
        { must_not: [{ is_empty: { key: "e" } }] },
        { is_empty: { key: "f" } },
        { key: "g", range: { gte: 0.5, lte: 0.5 } },
      ],
    });
  });

  it("wraps a lone condition and renders the constants", () => {
    expect(value(toQdrantFilter(bound({ field: "a", value: 1 })))).toEqual({
      must: [{ key: "a", match: { value: 1 } }],
    });
    expect(value(toQdrantFilter(MATCH_ALL))).toEqual({});
    const never = value(toQdrantFilter(MATCH_NOTHING));
    expect(never.must).toEqual(never.must_not);
    expect(value(toQdrantFilter(bound({ field: "a", operator: "in", value: [] })))).toEqual(never);
  });

  it("returns errors for string ranges and substring contains", () => {
    for (const json of [
      { field: "a", operator: "gt", value: "m" },
      { field: "a", operator: "contains", value: "m" },
    ]) {
      const r = toQdrantFilter(bound(json));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.details).toMatchObject({ backend: "qdrant", operator: json.operator });
    }
  });
});

describe("toS3VectorsFilter", () => {
  it("emits AWS operators only, and is assignable to QueryVectors' filter", () => {
    const filter = value(toS3VectorsFilter(sample));
    const input: Pick<QueryVectorsCommandInput, "filter"> = { filter };
    expect(input.filter).toEqual({
      $and: [
        { "metadata.year": { $gte: 2020 } },
        { $or: [{ "metadata.genre": { $eq: "drama" } }, { "metadata.tags": { $in: ["a", 1] } }] },
        { $or: [{ "metadata.draft": { $exists: false } }, { "metadata.draft": { $ne: true } }] },
      ],
    });
  });

  it("pushes NOT down with De Morgan and operator inversion", () => {
    const node = bound({
      NOT: [
        {
          AND: [
            { field: "a", operator: "gt", value: 5 },
            { field: "b", operator: "in", value: ["x"] },
            { field: "c", operator: "exists", value: true },
            { NOT: [{ field: "d", value: 1 }] },
          ],
        },
      ],
    });
    expect(value(toS3VectorsFilter(node))).toEqual({
      $or: [
        { a: { $exists: false } },
        { a: { $lte: 5 } },
        { b: { $exists: false } },
        { b: { $nin: ["x"] } },
        { c: { $exists: false } },
        { d: { $eq: 1 } },
      ],
    });
  });

  it("returns undefined for match-all and a contradiction for match-nothing", () => {
    expect(value(toS3VectorsFilter(MATCH_ALL))).toBeUndefined();
    expect(value(toS3VectorsFilter(bound({ field: "a", operator: "nin", value: [] })))).toBeUndefined();
    expect(value(toS3VectorsFilter(MATCH_NOTHING, { fieldPrefix: "m." }))).toEqual({
      $and: [
        { "m.__strata_match_nothing": { $exists: true } },
        { "m.__strata_match_nothing": { $exists: false } },
      ],
    });
  });

  it("returns errors for string ranges, substring contains and too many constraints", () => {
    for (const json of [
      { field: "a", operator: "lt", value: "m" },
      { field: "a", operator: "contains", value: "m" },
    ]) {
      const r = toS3VectorsFilter(bound(json));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.details).toMatchObject({ backend: "s3vectors", operator: json.operator });
    }
    const arrayContains = toS3VectorsFilter(bound({ field: "t", operator: "contains", value: "m" }), {
      arrayFields: new Set(["t"]),
    });
    expect(value(arrayContains)).toEqual({ t: { $eq: "m" } });
    const many = bound({
      AND: Array.from({ length: 60 }, (_, i) => ({ field: `f${i}`, operator: "ne", value: i })),
    });
    const r = toS3VectorsFilter(many);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain("120");
  });
});
