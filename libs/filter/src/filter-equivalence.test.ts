import type { DocStore, StoredRecord } from "@strata/docstore";
import { createMemoryDocStore, openSqliteDocStore } from "@strata/docstore";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BoundFilterNode, Literal, RangeOperator } from "./ast.js";
import { toFilterJson } from "./filter-json.js";
import { parseFilter } from "./parse-filter.js";
import { readPath, toPredicate } from "./predicate.js";
import { toDocStoreWhere } from "./to-docstore-where.js";
import { toQdrantFilter } from "./to-qdrant-filter.js";
import type { S3VectorsFilter, S3VectorsJson } from "./to-s3-vectors-filter.js";
import { toS3VectorsFilter } from "./to-s3-vectors-filter.js";
import type { TranslateOptions } from "./translate-options.js";

/**
 * Every translator that can run here must select exactly the documents `toPredicate` selects:
 * the DocStore query through both the in-memory and the SQLite adapter, and the S3 Vectors filter
 * through `s3Matches` below — a model of AWS's documented operators written from the docs, which also
 * rejects JSON that S3 Vectors would reject. Where AWS leaves behaviour open (does `$ne` match a vector
 * without the key?) the model takes the reading least favourable to the translator.
 */

// ---- S3 Vectors wire model (test-only) ----

type Metadata = Record<string, S3VectorsJson>;

/** How the warm tier stores a document: nested objects flattened to dotted keys, nulls left out. */
function toS3Metadata(doc: Record<string, unknown>, prefix = "", out: Metadata = {}): Metadata {
  for (const [key, v] of Object.entries(doc)) {
    if (v === null || v === undefined) continue;
    if (typeof v === "object" && !Array.isArray(v))
      toS3Metadata(v as Record<string, unknown>, `${prefix}${key}.`, out);
    else out[`${prefix}${key}`] = v as S3VectorsJson;
  }
  return out;
}

const isPrimitive = (v: unknown): v is Literal => ["string", "number", "boolean"].includes(typeof v);

function nonEmptyList(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v) || v.length === 0)
    throw new Error(`S3 Vectors rejects ${what}: ${JSON.stringify(v)}`);
  return v;
}

function s3Matches(filter: S3VectorsJson, md: Metadata): boolean {
  if (typeof filter !== "object" || filter === null || Array.isArray(filter))
    throw new Error("filter: object");
  return Object.entries(filter).every(([key, cond]) => {
    if (key === "$and") return nonEmptyList(cond, "$and").every((f) => s3Matches(f as S3VectorsJson, md));
    if (key === "$or") return nonEmptyList(cond, "$or").some((f) => s3Matches(f as S3VectorsJson, md));
    if (key.startsWith("$")) throw new Error(`S3 Vectors has no ${key}`);
    if (isPrimitive(cond)) return s3Operator("$eq", cond, md, key);
    if (typeof cond !== "object" || Array.isArray(cond)) throw new Error(`bad condition on ${key}`);
    return Object.entries(cond).every(([op, operand]) => s3Operator(op, operand, md, key));
  });
}

function s3Operator(op: string, operand: unknown, md: Metadata, key: string): boolean {
  const present = Object.hasOwn(md, key);
  const v = md[key];
  const elements: unknown[] = Array.isArray(v) ? v : [v];
  const has = (x: unknown) => present && elements.some((e) => e === x);
  switch (op) {
    case "$eq":
    case "$ne":
      if (!isPrimitive(operand)) throw new Error(`${op} takes a string, number or boolean`);
      return op === "$eq" ? has(operand) : present && !has(operand);
    case "$in":
    case "$nin": {
      const list = nonEmptyList(operand, op);
      if (!list.every(isPrimitive)) throw new Error(`${op} takes primitives`);
      return op === "$in" ? list.some(has) : present && !list.some(has);
    }
    case "$gt":
    case "$gte":
    case "$lt":
    case "$lte": {
      if (typeof operand !== "number") throw new Error(`${op} takes numbers only`);
      return present && elements.some((e) => typeof e === "number" && compare(op, e, operand));
    }
    case "$exists":
      if (typeof operand !== "boolean") throw new Error("$exists takes a boolean");
      return present === operand;
    default:
      throw new Error(`S3 Vectors has no operator ${op}`);
  }
}

function compare(op: string, a: number, b: number): boolean {
  return op === "$gt" ? a > b : op === "$gte" ? a >= b : op === "$lt" ? a < b : a <= b;
}

// ---- Qdrant model (test-only; no Qdrant server runs here) ----

/**
 * Qdrant's documented filter semantics: must = all, should = any, must_not = none; a field condition
 * matches when the payload value, or any element of an array payload, matches; `is_empty` holds for
 * absent, null and []. Anything else the translator might emit is rejected.
 */
function qdrantMatches(condition: unknown, payload: Record<string, unknown>): boolean {
  const c = condition as Record<string, unknown>;
  const list = (v: unknown) => (v === undefined ? undefined : (v as unknown[]));
  if (typeof c.key === "string") {
    const v = readPath(payload, c.key);
    const elements: unknown[] = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
    const match = c.match as { value?: unknown; any?: unknown[] } | undefined;
    const range = c.range as Partial<Record<RangeOperator, number>> | undefined;
    // Qdrant's match takes keywords, integers and booleans; match.any one list of keywords or of integers.
    const matchable = (x: unknown) => typeof x !== "number" || Number.isSafeInteger(x);
    if (match?.value !== undefined) {
      if (!matchable(match.value)) throw new Error(`match.value ${match.value} is not an integer`);
      return elements.some((e) => e === match.value);
    }
    if (match?.any !== undefined) {
      const any = match.any;
      const homogeneous =
        any.every((x) => typeof x === "string") ||
        any.every((x) => typeof x === "number" && Number.isSafeInteger(x));
      if (!homogeneous || any.length === 0) throw new Error(`bad match.any ${JSON.stringify(any)}`);
      return elements.some((e) => any.some((x) => x === e));
    }
    if (range !== undefined) {
      return elements.some(
        (e) =>
          typeof e === "number" &&
          (range.gt === undefined || e > range.gt) &&
          (range.gte === undefined || e >= range.gte) &&
          (range.lt === undefined || e < range.lt) &&
          (range.lte === undefined || e <= range.lte),
      );
    }
    throw new Error(`unexpected field condition ${JSON.stringify(c)}`);
  }
  if (c.is_empty !== undefined) {
    const v = readPath(payload, (c.is_empty as { key: string }).key);
    return v === undefined || v === null || (Array.isArray(v) && v.length === 0);
  }
  const known = new Set(["must", "should", "must_not"]);
  if (!Object.keys(c).every((k) => known.has(k)))
    throw new Error(`unexpected condition ${JSON.stringify(c)}`);
  const must = list(c.must);
  const should = list(c.should);
  const mustNot = list(c.must_not);
  return (
    (must?.every((x) => qdrantMatches(x, payload)) ?? true) &&
    (should === undefined || should.some((x) => qdrantMatches(x, payload))) &&
    (mustNot?.every((x) => !qdrantMatches(x, payload)) ?? true)
  );
}

// ---- generators ----

const RANGE_OPS: RangeOperator[] = ["gt", "gte", "lt", "lte"];
const literal = fc.constantFrom<Literal>(0, 1, 2, 1.5, -1, "1", "a", "b", "ab", "", true, false);
// Values where stores tend to differ: float round trips, huge and negative-zero numbers, code point order.
const edgeLiteral = fc.constantFrom<Literal>(
  0.1 + 0.2,
  1e300,
  -0,
  2 ** 53 + 2,
  "é",
  "Z",
  "\u{1F600}",
  "\uFFFF",
  "a\u0000",
);
const wildLiteral = fc.oneof({ weight: 4, arbitrary: literal }, { weight: 1, arbitrary: edgeLiteral });

function conditionArb(
  field: fc.Arbitrary<string>,
  comparable: fc.Arbitrary<string | number>,
  contains: fc.Arbitrary<Literal>,
  values: fc.Arbitrary<Literal> = literal,
) {
  return fc
    .oneof(
      fc.record({ field, operator: fc.constantFrom("eq" as const, "ne" as const), value: values }),
      fc.record({
        field,
        operator: fc.constantFrom("in" as const, "nin" as const),
        value: fc.array(values, { maxLength: 3 }),
      }),
      fc.record({ field, operator: fc.constantFrom(...RANGE_OPS), value: comparable }),
      fc.record({ field, operator: fc.constant("contains" as const), value: contains }),
      fc.record({ field, operator: fc.constant("exists" as const), value: fc.boolean() }),
    )
    .map((c): BoundFilterNode => ({ kind: "condition", ...c }) as BoundFilterNode);
}

function filterArb(leaf: fc.Arbitrary<BoundFilterNode>): fc.Arbitrary<BoundFilterNode> {
  return fc.letrec<{ node: BoundFilterNode }>((tie) => ({
    node: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      leaf,
      fc.array(tie("node"), { maxLength: 3 }).map((nodes): BoundFilterNode => ({ kind: "and", nodes })),
      fc.array(tie("node"), { maxLength: 3 }).map((nodes): BoundFilterNode => ({ kind: "or", nodes })),
      tie("node").map((node): BoundFilterNode => ({ kind: "not", node })),
    ),
  })).node;
}

// Wild documents: any JSON type in any field, look-alike values (1, "1", true), nulls, arrays, objects.
const wildValue = fc.oneof(
  wildLiteral,
  fc.constant(null),
  fc.array(fc.oneof(wildLiteral, fc.constant(null)), { maxLength: 3 }),
);
const wildDoc = fc.record(
  { a: wildValue, b: wildValue, o: fc.oneof(wildValue, fc.record({ x: wildValue }, { requiredKeys: [] })) },
  { requiredKeys: [] },
);
const wildFilter = filterArb(
  conditionArb(
    fc.constantFrom("a", "b", "o.x"),
    fc.constantFrom(0, 1, 1.5, "1", "a", "", 0.1 + 0.2, -0, 1e300, "é", "Z", "\u{1F600}", "\uFFFF"),
    wildLiteral,
    wildLiteral,
  ),
);

// Typed documents: what a collection's metadata schema allows (each field one type, or absent/null).
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
const typedDoc = fc.record(
  {
    year: maybe(fc.integer({ min: 2018, max: 2022 })),
    score: maybe(fc.constantFrom(0.5, 1, 1.5, 2)),
    genre: maybe(fc.constantFrom("a", "b", "ab", "")),
    tags: maybe(fc.array(fc.constantFrom("a", "b", "ab", "1"), { maxLength: 3 })),
    flag: maybe(fc.boolean()),
    m: fc.record({ level: maybe(fc.integer({ min: 0, max: 3 })) }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);
const typedOptions: TranslateOptions = { arrayFields: new Set(["tags"]) };
const typedLeaf = fc.oneof(
  conditionArb(
    fc.constantFrom("year", "score", "m.level"),
    fc.constantFrom(0, 1, 1.5, 2, 2019, 2020.5),
    fc.constantFrom(1, 2020, true),
  ),
  conditionArb(fc.constantFrom("genre", "flag"), fc.constant(0), fc.constantFrom(0, true, false)).filter(
    (n) => n.kind !== "condition" || !RANGE_OPS.includes(n.operator as RangeOperator),
  ),
  conditionArb(fc.constant("tags"), fc.constant(0), fc.constantFrom("a", "ab", "1", 1)).filter(
    (n) => n.kind !== "condition" || !RANGE_OPS.includes(n.operator as RangeOperator),
  ),
);
const typedFilter = filterArb(typedLeaf);

function hasRange(node: BoundFilterNode): boolean {
  if (node.kind === "and" || node.kind === "or") return node.nodes.some(hasRange);
  if (node.kind === "not") return hasRange(node.node);
  return RANGE_OPS.includes(node.operator as RangeOperator);
}

// ---- the property ----

type Doc = StoredRecord & Record<string, unknown>;

describe("every translator selects what toPredicate selects", () => {
  let memory: DocStore;
  let sqlite: DocStore;
  let tableCount = 0;
  const stats = { docstore: 0, s3: 0, unsupported: 0 };

  beforeAll(() => {
    memory = createMemoryDocStore();
    sqlite = openSqliteDocStore({ path: ":memory:" });
  });
  afterAll(async () => {
    await memory.close();
    await sqlite.close();
  });

  async function load(docs: Doc[]) {
    const name = `t${tableCount++}`;
    const tables = [];
    for (const store of [memory, sqlite]) {
      await store.ensureTable({ name });
      const table = store.table<Doc>(name);
      for (const doc of docs) expect((await table.insert(doc)).ok).toBe(true);
      tables.push(table);
    }
    return tables;
  }

  async function check(
    docs: Doc[],
    filters: BoundFilterNode[],
    options: TranslateOptions,
    s3: (f: BoundFilterNode) => boolean,
  ) {
    const tables = await load(docs);
    const metadata = docs.map((d) => ({ id: d.id, md: toS3Metadata(d) }));
    for (const filter of filters) {
      const expected = docs
        .filter(toPredicate(filter))
        .map((d) => d.id)
        .sort();
      const where = toDocStoreWhere(filter, options);
      if (where.ok) {
        stats.docstore += 1;
        for (const table of tables) {
          const found = (await table.find({ where: where.value })).map((v) => v.record.id).sort();
          expect(found, JSON.stringify(toFilterJson(filter))).toEqual(expected);
        }
      } else {
        stats.unsupported += 1;
        expect(where.error.details).toMatchObject({ operator: "contains" });
      }
      // The JSON form means the same filter.
      const reparsed = parseFilter(toFilterJson(filter));
      expect(reparsed.ok).toBe(true);
      if (reparsed.ok)
        expect(
          docs
            .filter(toPredicate(reparsed.value as BoundFilterNode))
            .map((d) => d.id)
            .sort(),
        ).toEqual(expected);
      if (!s3(filter)) continue;
      const s3Filter = toS3VectorsFilter(filter, options);
      if (!s3Filter.ok) {
        expect(s3Filter.error.details).toMatchObject({ operator: "contains" });
        continue;
      }
      stats.s3 += 1;
      const f: S3VectorsFilter | undefined = s3Filter.value;
      const selected = metadata
        .filter(({ md }) => f === undefined || s3Matches(f, md))
        .map((d) => d.id)
        .sort();
      expect(selected, JSON.stringify({ filter: toFilterJson(filter), s3: f })).toEqual(expected);
    }
  }

  const withIds = (docs: Record<string, unknown>[]): Doc[] => docs.map((d, i) => ({ ...d, id: `d${i}` }));

  it("on wild documents (DocStore both adapters; S3 Vectors for range-free filters)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(wildDoc, { maxLength: 15 }),
        fc.array(wildFilter, { minLength: 1, maxLength: 6 }),
        (docs, filters) => check(withIds(docs), filters, {}, (f) => !hasRange(f)),
      ),
      { numRuns: 150 },
    );
    // Guards against a generator drifting into checking (almost) nothing; about 525 filters are drawn.
    expect(stats.docstore).toBeGreaterThan(250);
    expect(stats.s3).toBeGreaterThan(150);
  });

  it("on schema-conforming documents (DocStore, S3 Vectors, Qdrant model)", async () => {
    const before = stats.s3;
    await fc.assert(
      fc.asyncProperty(
        fc.array(typedDoc, { maxLength: 15 }),
        fc.array(typedFilter, { minLength: 1, maxLength: 6 }),
        async (docs, filters) => {
          const all = withIds(docs);
          // Qdrant's is_empty counts [] as absent (a documented divergence): compare without them.
          const qdrantDocs = all.filter(
            (d) => !Object.values(d).some((v) => Array.isArray(v) && v.length === 0),
          );
          for (const f of filters) {
            expect(toS3VectorsFilter(f, typedOptions).ok).toBe(true);
            expect(toDocStoreWhere(f, typedOptions).ok).toBe(true);
            const q = toQdrantFilter(f, typedOptions);
            if (!q.ok) throw new Error(JSON.stringify(q.error));
            const expected = qdrantDocs.filter(toPredicate(f)).map((d) => d.id);
            const selected = qdrantDocs.filter((d) => qdrantMatches(q.value, d)).map((d) => d.id);
            expect(selected, JSON.stringify({ filter: toFilterJson(f), qdrant: q.value })).toEqual(expected);
          }
          await check(all, filters, typedOptions, () => true);
        },
      ),
      { numRuns: 150 },
    );
    expect(stats.s3 - before).toBeGreaterThan(300);
  });
});
