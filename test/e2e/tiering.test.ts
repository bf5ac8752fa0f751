import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DataPath, type Doc, startDataPath } from "./data-path-fixture.js";
import { expectErrorBody } from "./harness.js";

/** Storage tiers through the REST API on the real platform (ADR 0023): the manual move and search. */
let d: DataPath;

beforeAll(async () => {
  d = await startDataPath();
  for (const [id, vector] of [
    ["near", [1, 0, 0]],
    ["mid", [1, 1, 0]],
    ["far", [0, 0, 1]],
  ] as const) {
    const created = await d.createDoc({
      document_id: id,
      features: { [d.collection.features[0]?.feature_uri ?? ""]: vector },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
  const retriever = await d.platform.call("POST", "/v1/retrievers", {
    namespace: d.namespaceId,
    body: {
      retriever_name: "all",
      collection_ids: ["articles"],
      feature_uri: d.collection.features[0]?.feature_uri,
    },
  });
  expect(retriever.status, JSON.stringify(retriever.body)).toBe(201);
}, 60_000);
afterAll(async () => {
  await d?.platform.stop();
});

type Move = { document_id: string; collection_id: string; from_tier: string; tier: string; moved: boolean };
type Execution = {
  results: Array<{ document_id: string; _source_tier: string; score: number }>;
  cold_scanned: boolean;
  cold_documents_scanned: number;
};

const move = (doc: string, tier: unknown) =>
  d.platform.call<Move>("POST", d.docs(`/${doc}/tier`), { namespace: d.namespaceId, body: { tier } });
const execute = (body: Record<string, unknown> = {}) =>
  d.platform.call<Execution>("POST", "/v1/retrievers/all/execute", {
    namespace: d.namespaceId,
    body: { query: { vector: [1, 0, 0] }, ...body },
  });

describe("POST /v1/collections/{id}/documents/{doc}/tier", () => {
  it("moves a document and its vectors, answers unchanged when already there, and search finds it in its tier", async () => {
    const moved = await move("mid", "warm");
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toEqual({
      document_id: "mid",
      collection_id: d.collection.collection_id,
      from_tier: "hot",
      tier: "warm",
      moved: true,
    });
    expect((await move("mid", "warm")).body).toMatchObject({ from_tier: "warm", tier: "warm", moved: false });
    const got = await d.platform.call<Doc>("GET", d.docs("/mid?include_features=true"), {
      namespace: d.namespaceId,
    });
    expect(got.body.tier).toBe("warm");
    expect(Object.values(got.body.features ?? {})).toEqual([[1, 1, 0]]);
    const found = await execute();
    expect(found.status, JSON.stringify(found.body)).toBe(200);
    expect(found.body.results.map((r) => [r.document_id, r._source_tier])).toEqual([
      ["near", "hot"],
      ["mid", "warm"],
      ["far", "hot"],
    ]);
    expect(found.body.cold_scanned).toBe(false);
  });

  it("scans cold only when the search asks, and never answers an archived document", async () => {
    expect((await move("near", "cold")).status).toBe(200);
    expect((await execute()).body.results.map((r) => r.document_id)).toEqual(["mid", "far"]);
    const withCold = await execute({ include_cold: true });
    expect(withCold.body.results.map((r) => [r.document_id, r._source_tier])).toEqual([
      ["near", "cold"],
      ["mid", "warm"],
      ["far", "hot"],
    ]);
    expect(withCold.body).toMatchObject({ cold_scanned: true, cold_documents_scanned: 1 });
    expect((await move("far", "archive")).body).toMatchObject({ tier: "archive", moved: true });
    const archived = await d.platform.call<Doc>("GET", d.docs("/far?include_features=true"), {
      namespace: d.namespaceId,
    });
    expect(archived.body.tier).toBe("archive");
    expect(archived.body.features ?? {}).toEqual({});
    expect((await execute({ include_cold: true })).body.results.map((r) => r.document_id)).toEqual([
      "near",
      "mid",
    ]);
  });

  it("refuses a move out of archive and an unknown tier with 422, and a missing document with 404", async () => {
    await move("far", "archive");
    const refused = expectErrorBody(await move("far", "hot"), 422, "ValidationError");
    expect(refused.message).toMatch(/archived/);
    expectErrorBody(await move("near", "lukewarm"), 422, "ValidationError");
    expectErrorBody(await move("nope", "warm"), 404, "NotFoundError");
    const other = await d.platform.call<{ namespace_id: string }>("POST", "/v1/namespaces", {
      body: { namespace_name: "elsewhere" },
    });
    expect(other.status).toBe(201);
    // The same collection and document, seen from another namespace: absent.
    const foreign = await d.platform.call("POST", d.docs("/near/tier"), {
      namespace: "elsewhere",
      body: { tier: "hot" },
    });
    expectErrorBody(foreign, 404, "NotFoundError");
  });
});
