import { openS3VectorsWarmIndex } from "@strata/warmindex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { indexTierStore } from "../../services/namespace/src/adapters/tiers/index-tier-store.js";
import { searchDocuments } from "../../services/namespace/src/modules/search/search-documents.js";
import { tierWorld, VEC } from "../../services/namespace/src/modules/tiers/tier-test-support.js";
import { callerOf } from "../../services/namespace/src/shared/test-support.js";
import { type FakeS3Vectors, startFakeS3Vectors } from "../fakes/s3-vectors/fake-s3-vectors-server.js";

// The namespace side's moves and tiered search with the distributed warm tier: S3 Vectors (the
// wire-compatible fake), as the service opens it when STRATA_S3_VECTORS_BUCKET is set.
let fake: FakeS3Vectors | undefined;
beforeAll(async () => {
  fake = await startFakeS3Vectors();
  fake.createBucket("warm");
});
afterAll(async () => {
  await fake?.close();
});

describe("tier moves with S3 Vectors as the warm tier", () => {
  it("moves documents hot → warm → hot byte for byte and searches them in warm with their filter", async () => {
    if (fake === undefined) throw new Error("fake not started");
    const w = await tierWorld(6);
    const warm = openS3VectorsWarmIndex({
      client: {
        endpoint: fake.endpoint,
        region: "us-east-1",
        credentials: { accessKeyId: "FAKE", secretAccessKey: "FAKE" },
      },
      vectorBucketName: "warm",
    });
    (w.t.ports.tiers as { warm: unknown }).warm = indexTierStore("warm", warm, (m) => warm.supportsMetric(m));
    const ids = ["d0", "d1", "d2", "d3"];
    expect((await w.move(ids, "warm")).map((r) => r.outcome)).toEqual(ids.map(() => "moved"));
    for (const id of ids) expect((await w.featuresOf(id)).map((f) => f.vector)).toEqual([w.vectors.get(id)]);
    const found = await searchDocuments(w.t.ports, callerOf(w.t.organizationId), w.t.namespaceId, {
      collectionIdentifiers: ["items"],
      featureUri: VEC,
      vector: w.vectors.get("d2") ?? [],
      topK: 10,
      filters: { AND: [{ field: "metadata.color", operator: "eq", value: "red" }] },
    });
    if (!found.ok) throw new Error(JSON.stringify(found.error));
    expect(found.value.hits[0]?.document.document_id).toBe("d2");
    expect(found.value.hits[0]?.sourceTier).toBe("warm");
    expect(found.value.hits.map((h) => h.document.document_id).sort()).toEqual(["d0", "d2", "d4"]);
    expect((await w.move(ids, "hot")).map((r) => r.outcome)).toEqual(ids.map(() => "moved"));
    const left = await w.t.ports.tiers.warm.read(w.collection, ids);
    expect(left.ok && left.value.length).toBe(0);
    await warm.close();
  });
});
