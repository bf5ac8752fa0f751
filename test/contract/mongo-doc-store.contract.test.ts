import { randomBytes } from "node:crypto";
import { openMongoDocStore } from "@strata/docstore";
import { runDocStoreContract } from "@strata/docstore/contract";
import { MongoDBContainer, type StartedMongoDBContainer } from "@testcontainers/mongodb";
import { afterAll, beforeAll, describe } from "vitest";
import { serverSource } from "./server-source.js";

/**
 * The DocStore contract against MongoDB: a server from STRATA_TEST_MONGO_URL (it must be a replica
 * set, transactions need one), or else a single-node replica set started with testcontainers.
 * With neither, the suite is reported as skipped, never as passed.
 */
const { externalUrl, canRun } = await serverSource("MongoDB contract suite", "STRATA_TEST_MONGO_URL");

describe.skipIf(!canRun)("MongoDB DocStore", () => {
  let container: StartedMongoDBContainer | undefined;
  let url = externalUrl ?? "";
  // One database per run; every test also uses fresh collection names.
  const database = `strata_contract_${randomBytes(4).toString("hex")}`;

  beforeAll(async () => {
    if (externalUrl) return;
    container = await new MongoDBContainer("mongo:8.0").start();
    // The replica set advertises the container's own host name; talk to the mapped port directly.
    url = `${container.getConnectionString()}/?directConnection=true`;
  }, 180_000);

  afterAll(async () => {
    await container?.stop();
  });

  runDocStoreContract("mongodb", () => openMongoDocStore({ url, database }), undefined, { persistent: true });
});
