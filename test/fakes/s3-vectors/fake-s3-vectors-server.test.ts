import {
  CreateIndexCommand,
  GetIndexCommand,
  PutVectorsCommand,
  QueryVectorsCommand,
  S3VectorsClient,
} from "@aws-sdk/client-s3vectors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeS3Vectors, startFakeS3Vectors } from "./fake-s3-vectors-server.js";

// The fake speaks the wire protocol the real SDK expects: its answers and its errors come back
// through @aws-sdk/client-s3vectors as AWS's would (typed exceptions with their messages).
let fake: FakeS3Vectors;
let client: S3VectorsClient;
beforeAll(async () => {
  fake = await startFakeS3Vectors();
  fake.createBucket("b");
  client = new S3VectorsClient({
    endpoint: fake.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "F", secretAccessKey: "F" },
  });
  await client.send(
    new CreateIndexCommand({
      vectorBucketName: "b",
      indexName: "idx",
      dataType: "float32",
      dimension: 2,
      distanceMetric: "euclidean",
    }),
  );
});
afterAll(async () => {
  client.destroy();
  await fake.close();
});

const failure = async (work: Promise<unknown>) => {
  try {
    await work;
  } catch (e) {
    return e as { name: string; message: string; $metadata: { httpStatusCode?: number } };
  }
  throw new Error("expected the call to fail");
};

describe("fake S3 Vectors through the AWS SDK", () => {
  it("stores and queries with distances and metadata filters", async () => {
    await client.send(
      new PutVectorsCommand({
        vectorBucketName: "b",
        indexName: "idx",
        vectors: [
          { key: "a", data: { float32: [0, 0] }, metadata: { tag: "x", n: 1 } },
          { key: "b", data: { float32: [3, 4] }, metadata: { tag: ["x", "y"], n: 5 } },
          { key: "c", data: { float32: [1, 0] }, metadata: { n: 9 } },
        ],
      }),
    );
    const out = await client.send(
      new QueryVectorsCommand({
        vectorBucketName: "b",
        indexName: "idx",
        topK: 5,
        queryVector: { float32: [0, 0] },
        filter: { $or: [{ tag: { $eq: "y" } }, { n: { $gte: 9 } }] },
        returnDistance: true,
        returnMetadata: true,
      }),
    );
    expect(out.distanceMetric).toBe("euclidean");
    expect(out.vectors?.map((v) => [v.key, v.distance])).toEqual([
      ["c", 1],
      ["b", 5],
    ]);
    expect(out.vectors?.[1]?.metadata).toEqual({ tag: ["x", "y"], n: 5 });
  });

  it("answers past-limit and malformed requests with AWS's typed errors", async () => {
    const tooMany = Array.from({ length: 501 }, (_, i) => ({ key: `k${i}`, data: { float32: [1, 1] } }));
    const batch = await failure(
      client.send(new PutVectorsCommand({ vectorBucketName: "b", indexName: "idx", vectors: tooMany })),
    );
    expect([batch.name, batch.$metadata.httpStatusCode]).toEqual(["ValidationException", 400]);

    const dims = await failure(
      client.send(
        new PutVectorsCommand({
          vectorBucketName: "b",
          indexName: "idx",
          vectors: [{ key: "z", data: { float32: [1, 2, 3] } }],
        }),
      ),
    );
    expect(dims.name).toBe("ValidationException");
    expect(dims.message).toContain("dimension");

    const topK = await failure(
      client.send(
        new QueryVectorsCommand({
          vectorBucketName: "b",
          indexName: "idx",
          topK: 101,
          queryVector: { float32: [0, 0] },
        }),
      ),
    );
    expect(topK.name).toBe("ValidationException");

    const badOperator = await failure(
      client.send(
        new QueryVectorsCommand({
          vectorBucketName: "b",
          indexName: "idx",
          topK: 1,
          queryVector: { float32: [0, 0] },
          filter: { n: { $regex: "x" } },
        }),
      ),
    );
    expect(badOperator.name).toBe("ValidationException");

    const big = await failure(
      client.send(
        new PutVectorsCommand({
          vectorBucketName: "b",
          indexName: "idx",
          vectors: [{ key: "m", data: { float32: [1, 1] }, metadata: { t: "x".repeat(2100) } }],
        }),
      ),
    );
    expect(big.message).toContain("2 KB");

    const missing = await failure(
      client.send(new GetIndexCommand({ vectorBucketName: "b", indexName: "nope" })),
    );
    expect([missing.name, missing.$metadata.httpStatusCode]).toEqual(["NotFoundException", 404]);

    const duplicate = await failure(
      client.send(
        new CreateIndexCommand({
          vectorBucketName: "b",
          indexName: "idx",
          dataType: "float32",
          dimension: 2,
          distanceMetric: "cosine",
        }),
      ),
    );
    expect(duplicate.name).toBe("ConflictException");

    const badName = await failure(
      client.send(
        new CreateIndexCommand({
          vectorBucketName: "b",
          indexName: "Bad_Name",
          dataType: "float32",
          dimension: 2,
          distanceMetric: "cosine",
        }),
      ),
    );
    expect(badName.name).toBe("ValidationException");
  });
});
