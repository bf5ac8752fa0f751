import { openS3VectorsWarmIndex, type WarmIndex } from "@strata/warmindex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeS3Vectors, startFakeS3Vectors } from "../fakes/s3-vectors/fake-s3-vectors-server.js";

// The adapter keeps to AWS's documented limits client-side (the fake enforces them too, so a request
// past a limit would fail these tests with the fake's ValidationException).
let fake: FakeS3Vectors;
let index: WarmIndex;
let wide: WarmIndex;
beforeAll(async () => {
  fake = await startFakeS3Vectors();
  fake.createBucket("warm");
  const client = {
    endpoint: fake.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "F", secretAccessKey: "F" },
  };
  index = openS3VectorsWarmIndex({ client, vectorBucketName: "warm" });
  wide = openS3VectorsWarmIndex({
    client,
    vectorBucketName: "warm",
    indexPrefix: "wide",
    nonFilterableFields: ["text"],
  });
});
afterAll(async () => {
  await index.close();
  await wide.close();
  await fake.close();
});

let n = 0;
const space = () => ({
  namespaceId: `ns_limits_${n++}`,
  featureUri: "strata://t@v1/e",
  dimensions: 4,
  metric: "cosine" as const,
});
const vec = (i: number) => [Math.cos(i), Math.sin(i), (i % 7) / 7, 1];

describe("S3 Vectors adapter limits", () => {
  it("splits a large upsert into PutVectors calls of at most 500 vectors", async () => {
    const s = space();
    const before = fake.requests.length;
    const records = Array.from({ length: 1203 }, (_, i) => ({
      id: `d${i}`,
      collectionId: "c",
      vector: vec(i),
      payload: { i },
    }));
    expect((await index.upsert(s, records)).ok).toBe(true);
    const puts = fake.requests.slice(before).filter((r) => r.operation === "PutVectors");
    expect(puts.map((p) => (p.body.vectors as unknown[]).length)).toEqual([500, 500, 203]);
    const count = await index.count(s);
    expect(count.ok && count.value).toBe(1203);
  });

  it("never asks QueryVectors for more than 100 results, even for k = 1000", async () => {
    const s = space();
    const records = Array.from({ length: 1500 }, (_, i) => ({
      id: `d${i}`,
      collectionId: "c",
      vector: vec(i),
      payload: {},
    }));
    expect((await index.upsert(s, records)).ok).toBe(true);
    const before = fake.requests.length;
    const hits = await index.search(s, { vector: vec(3), k: 1000 });
    expect(hits.ok && hits.value.length).toBe(1000);
    const queries = fake.requests.slice(before).filter((r) => r.operation === "QueryVectors");
    expect(queries.length).toBeGreaterThan(10);
    expect(Math.max(...queries.map((q) => q.body.topK as number))).toBe(100);
  });

  it("refuses the dot metric (S3 Vectors has cosine and euclidean only)", async () => {
    expect(index.supportsMetric("dot")).toBe(false);
    const r = await index.upsert({ ...space(), metric: "dot" }, [
      { id: "a", collectionId: "c", vector: vec(1), payload: {} },
    ]);
    expect(r.ok ? undefined : r.error.kind).toBe("validation");
  });

  it("refuses more than 2 KB of filterable metadata with a validation error, writing nothing", async () => {
    const s = space();
    const big = { id: "big", collectionId: "c", vector: vec(1), payload: { text: "x".repeat(3000) } };
    const ok = { id: "ok", collectionId: "c", vector: vec(2), payload: {} };
    const r = await index.upsert(s, [ok, big]);
    expect(r.ok ? undefined : r.error.kind).toBe("validation");
    expect(JSON.stringify(r.ok ? {} : r.error.details)).toContain("2048");
    const count = await index.count(s);
    expect(count.ok && count.value).toBe(0);
  });

  it("keeps declared non-filterable fields out of filterable metadata and refuses filters on them", async () => {
    const s = space();
    const doc = {
      id: "big",
      collectionId: "c",
      vector: vec(1),
      payload: { text: "x".repeat(3000), tag: "a" },
    };
    expect((await wide.upsert(s, [doc])).ok).toBe(true);
    const got = await wide.get(s, [{ collectionId: "c", id: "big" }]);
    expect(got.ok && got.value[0]?.payload).toEqual(doc.payload);
    const byTag = await wide.search(s, {
      vector: vec(1),
      k: 1,
      filter: { kind: "condition", field: "tag", operator: "eq", value: "a" },
    });
    expect(byTag.ok && byTag.value.map((h) => h.id)).toEqual(["big"]);
    const byText = await wide.search(s, {
      vector: vec(1),
      k: 1,
      filter: { kind: "condition", field: "text", operator: "eq", value: "x" },
    });
    expect(byText.ok ? undefined : byText.error.kind).toBe("validation");
  });

  it("refuses a range on strings (S3 Vectors compares numbers only) with a validation error", async () => {
    const s = space();
    expect(
      (await index.upsert(s, [{ id: "a", collectionId: "c", vector: vec(1), payload: { name: "b" } }])).ok,
    ).toBe(true);
    const r = await index.search(s, {
      vector: vec(1),
      k: 1,
      filter: { kind: "condition", field: "name", operator: "gt", value: "a" },
    });
    expect(r.ok ? undefined : r.error.kind).toBe("validation");
  });
});
