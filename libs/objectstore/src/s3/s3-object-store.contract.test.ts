import { afterAll, beforeAll } from "vitest";
import { runObjectStoreContract } from "../objectstore.contract.js";
import {
  startTestS3Server,
  TEST_S3_CREDENTIALS,
  TEST_S3_REGION,
  type TestS3Server,
} from "../testing/s3-test-server.js";
import { openS3ObjectStore } from "./s3-object-store.js";

// A real S3-protocol server (s3rver) over loopback HTTP, started by the test.
let server: TestS3Server | undefined;
beforeAll(async () => {
  server = await startTestS3Server({ buckets: ["contract"] });
});
afterAll(async () => {
  await server?.close();
});

const open = async (prefix?: string) => {
  if (server === undefined) throw new Error("s3rver not started");
  return openS3ObjectStore({
    bucket: "contract",
    region: TEST_S3_REGION,
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: TEST_S3_CREDENTIALS,
    // Small, so the multi-MB contract bodies take the spill-to-file path too.
    memorySpoolBytes: 256 * 1024,
    ...(prefix === undefined ? {} : { prefix }),
  });
};

runObjectStoreContract("s3 (s3rver), bucket root", () => open());
runObjectStoreContract("s3 (s3rver), under a store prefix", () => open("tenant-a/"));
