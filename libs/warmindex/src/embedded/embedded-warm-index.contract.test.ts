import { join } from "node:path";
import {
  openFsObjectStore,
  openTestS3ObjectStore,
  startTestS3Server,
  type TestS3Server,
} from "@strata/objectstore";
import { tempDir } from "@strata/testkit";
import { afterAll, beforeAll } from "vitest";
import { runWarmIndexContract } from "../warmindex.contract.js";
import { openEmbeddedWarmIndex } from "./embedded-warm-index.js";

const base = await tempDir("strata-warmindex");
let s3: TestS3Server | undefined;
beforeAll(async () => {
  s3 = await startTestS3Server({ buckets: ["warm"] });
});
afterAll(async () => {
  await s3?.close();
  await base.remove();
});

// Small compaction settings so the suite's writes go through compaction too.
const compaction = { maxSegmentRecords: 256, maxSmallSegments: 2 };

runWarmIndexContract(
  "embedded on the fs ObjectStore",
  async (store) =>
    openEmbeddedWarmIndex({ store: await openFsObjectStore({ root: join(base.path, store) }), compaction }),
  { persistent: true },
);

runWarmIndexContract(
  "embedded on the S3 ObjectStore (s3rver), tiny segment cache",
  async (store) => {
    if (!s3) throw new Error("s3rver not started");
    // A cache smaller than one segment: every search reads segments back from S3.
    return openEmbeddedWarmIndex({
      store: openTestS3ObjectStore(s3, "warm", `${store}/`),
      cacheBytes: 1024,
      compaction,
    });
  },
  { persistent: true },
);
