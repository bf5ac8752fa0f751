import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DataPath, type Doc, type Page, startDataPath, URI } from "./data-path-fixture.js";
import { expectErrorBody, type TestPlatform } from "./harness.js";

/**
 * Issue 8, finding 6: a documents-list filter on a taxonomy label with ~1,000 descendants answered
 * 500 (SQLite: "Expression tree is too large (maximum depth 1000)"). It must answer the documents
 * (and agree with a retriever's answer to the same filter); a filter expanded past what a store may
 * be sent is refused with 422, never a 5xx.
 */
let platform: TestPlatform;
let namespaceId: string;
let docs: DataPath["docs"];
let createDoc: DataPath["createDoc"];

const GROUPS = 10;
const LEAVES = 1_000;
/** Document id → the label it carries (one unlabelled document too). */
const LABELS: ReadonlyArray<readonly [string, string | null]> = [
  ["d-root", "all"],
  ["d-g3", "g3"],
  ["d-l3", "l3"],
  ["d-l13", "l13"],
  ["d-l7", "l7"],
  ["d-l999", "l999"],
  ["d-none", null],
];
const ids = (pred: (label: string | null) => boolean) =>
  LABELS.filter(([, label]) => pred(label))
    .map(([id]) => id)
    .sort();
const inGroup3 = (label: string | null): boolean => label === "g3" || /^l\d*3$/.test(label ?? "");

let taxonomyId = "";

beforeAll(async () => {
  ({ platform, namespaceId, docs, createDoc } = await startDataPath());
  // all → g0…g9 → l0…l999 (leaf i under group i % 10): "all" has 1,010 descendants.
  const nodes = [
    { label: "all" },
    ...Array.from({ length: GROUPS }, (_, g) => ({ label: `g${g}`, parent: "all" })),
    ...Array.from({ length: LEAVES }, (_, i) => ({ label: `l${i}`, parent: `g${i % GROUPS}` })),
  ];
  const created = await platform.call<{ taxonomy_id: string }>("POST", "/v1/taxonomies", {
    namespace: namespaceId,
    body: { taxonomy_name: "wide", nodes },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  taxonomyId = created.body.taxonomy_id;
  for (const [i, [id, label]] of LABELS.entries()) {
    const doc = await createDoc({
      document_id: id,
      features: { [URI]: [1, i / 10, 0] },
      taxonomy_labels: label === null ? [] : [{ taxonomy_id: taxonomyId, label }],
    });
    expect(doc.status, JSON.stringify(doc.body)).toBe(201);
  }
}, 120_000);
afterAll(async () => {
  await platform?.stop();
});

async function list(filters: unknown): Promise<string[]> {
  const listed = await platform.call<Page<Doc>>("POST", docs("/list"), {
    namespace: namespaceId,
    body: { filters, limit: 100 },
  });
  expect(listed.status, JSON.stringify(listed.body)).toBe(200);
  return listed.body.data.map((d) => d.document_id).sort();
}

const on = (operator: string, value: unknown) => ({ field: "taxonomies.wide", operator, value });

describe("a documents-list filter on a wide taxonomy", () => {
  it("answers eq on a label with 1,010 descendants with every document below it", async () => {
    expect(await list(on("eq", "all"))).toEqual(ids((label) => label !== null));
    expect(await list(on("eq", "g3"))).toEqual(ids(inGroup3));
    expect(await list(on("eq", "l999"))).toEqual(["d-l999"]);
  });

  it("answers ne, in and nin, and combinations of several wide conditions", async () => {
    expect(await list(on("ne", "all"))).toEqual(["d-none"]);
    expect(await list(on("ne", "g3"))).toEqual(ids((label) => !inGroup3(label)));
    expect(await list(on("in", ["g3", "g7", "nope"]))).toEqual(
      ids((label) => inGroup3(label) || label === "l7"),
    );
    expect(await list(on("nin", ["g3", "g9"]))).toEqual(ids((label) => !inGroup3(label) && label !== "l999"));
    expect(await list({ AND: [on("eq", "all"), { NOT: [on("eq", "g3")] }] })).toEqual([
      "d-l7",
      "d-l999",
      "d-root",
    ]);
    const twenty = Array.from({ length: 20 }, () => on("eq", "all"));
    expect(await list({ OR: twenty })).toEqual(ids((label) => label !== null));
  });

  it("agrees with a retriever executing the same filter", async () => {
    const retriever = await platform.call<{ retriever_id: string }>("POST", "/v1/retrievers", {
      namespace: namespaceId,
      body: { retriever_name: "wide", collection_ids: ["articles"], feature_uri: URI, top_k: 50 },
    });
    expect(retriever.status, JSON.stringify(retriever.body)).toBe(201);
    for (const filters of [on("eq", "g3"), on("ne", "all")]) {
      const found = await platform.call<{ results: Array<{ document_id: string }> }>(
        "POST",
        `/v1/retrievers/${retriever.body.retriever_id}/execute`,
        { namespace: namespaceId, body: { query: { vector: [1, 0, 0] }, filters } },
      );
      expect(found.status, JSON.stringify(found.body)).toBe(200);
      expect(found.body.results.map((r) => r.document_id).sort()).toEqual(await list(filters));
    }
  });

  it("refuses with 422 a filter that expands past 50,000 values, and serves one just below", async () => {
    // Each condition expands to "all" and its 1,010 descendants.
    const conditions = (n: number) => ({ OR: Array.from({ length: n }, () => on("eq", "all")) });
    expect(await list(conditions(49))).toEqual(ids((label) => label !== null));
    const refused = await platform.call("POST", docs("/list"), {
      namespace: namespaceId,
      body: { filters: conditions(50) },
    });
    const error = expectErrorBody(refused, 422, "ValidationError");
    expect(error.message).toMatch(/50550 values .* at most 50000/);
  });
});
