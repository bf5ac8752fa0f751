import { randomBytes } from "node:crypto";
import { openQdrantHotIndex } from "@strata/hotindex";
import { runHotIndexContract } from "@strata/hotindex/contract";
import { GenericContainer, type StartedTestContainer, Wait } from "testcontainers";
import { afterAll, beforeAll, describe } from "vitest";
import { serverSource } from "./server-source.js";

/**
 * The HotIndex contract against Qdrant: a server from STRATA_TEST_QDRANT_URL, or else one started
 * with testcontainers. With neither, the suite is reported as skipped, never as passed.
 */
const { externalUrl, canRun } = await serverSource(
  "Qdrant HotIndex contract suite",
  "STRATA_TEST_QDRANT_URL",
);

describe.skipIf(!canRun)("Qdrant HotIndex", () => {
  let container: StartedTestContainer | undefined;
  let url = externalUrl ?? "";
  // Own collections per run, so a shared server keeps no state between runs that could matter.
  const collectionPrefix = `strata_test_${randomBytes(4).toString("hex")}`;

  beforeAll(async () => {
    if (externalUrl) return;
    container = await new GenericContainer("qdrant/qdrant:v1.18.0")
      .withExposedPorts(6333)
      .withWaitStrategy(Wait.forHttp("/readyz", 6333))
      .start();
    url = `http://${container.getHost()}:${container.getMappedPort(6333)}`;
  }, 180_000);

  afterAll(async () => {
    await container?.stop();
  });

  // Qdrant keeps the data server-side: a new client is a "reopen"; store names do not matter.
  runHotIndexContract("qdrant", async () => openQdrantHotIndex({ url, collectionPrefix }), {
    persistent: true,
  });
});
