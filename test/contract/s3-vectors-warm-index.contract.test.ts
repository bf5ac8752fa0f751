import { randomUUID } from "node:crypto";
import { openS3VectorsWarmIndex, type S3VectorsWarmIndexOptions } from "@strata/warmindex";
import { runWarmIndexContract } from "@strata/warmindex/contract";
import { afterAll, beforeAll, describe, it } from "vitest";
import { type FakeS3Vectors, startFakeS3Vectors } from "../fakes/s3-vectors/fake-s3-vectors-server.js";

// The S3 Vectors adapter against the wire-compatible fake (AWS's documented limits: topK ≤ 100,
// so k > 100 exercises the partition fan-out), then against a fake with AWS's newer paginated
// topK (up to 10,000, pages of 40), then against AWS itself when a bucket and credentials are given.
let fake: FakeS3Vectors | undefined;
let paginated: FakeS3Vectors | undefined;
beforeAll(async () => {
  fake = await startFakeS3Vectors();
  fake.createBucket("warm");
  paginated = await startFakeS3Vectors({ maxTopK: 10_000, queryPageSize: 40 });
  paginated.createBucket("warm");
});
afterAll(async () => {
  await fake?.close();
  await paginated?.close();
});

const fakeClient = (server: FakeS3Vectors | undefined): S3VectorsWarmIndexOptions["client"] => {
  if (!server) throw new Error("fake S3 Vectors not started");
  return {
    endpoint: server.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "FAKE", secretAccessKey: "FAKE" },
  };
};

runWarmIndexContract(
  "S3 Vectors (fake, topK ≤ 100)",
  async () => openS3VectorsWarmIndex({ client: fakeClient(fake), vectorBucketName: "warm" }),
  { persistent: true },
);

runWarmIndexContract(
  "S3 Vectors (fake, paginated topK ≤ 10,000)",
  async () =>
    openS3VectorsWarmIndex({ client: fakeClient(paginated), vectorBucketName: "warm", maxTopK: 10_000 }),
  { persistent: true },
);

const awsBucket = process.env.STRATA_TEST_S3VECTORS_BUCKET;
const awsCredentials = Boolean(process.env.AWS_ACCESS_KEY_ID || process.env.AWS_PROFILE);
if (!awsBucket || !awsCredentials) {
  describe("WarmIndex contract: S3 Vectors on AWS", () => {
    it.skip("skipped: set STRATA_TEST_S3VECTORS_BUCKET and AWS credentials (AWS_ACCESS_KEY_ID or AWS_PROFILE) to run it", () => {});
  });
} else {
  // A prefix per run, so the run's indexes are easy to find and never collide with another run's.
  const indexPrefix = `t${randomUUID().slice(0, 8)}`;
  runWarmIndexContract(
    "S3 Vectors on AWS",
    async () =>
      openS3VectorsWarmIndex({
        client: { region: process.env.AWS_REGION ?? "us-east-1" },
        vectorBucketName: awsBucket,
        indexPrefix,
      }),
    { persistent: true },
  );
}
