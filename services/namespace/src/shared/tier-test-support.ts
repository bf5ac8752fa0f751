// Test helpers for the tiers: the tier stores tests run on, and a recorder of accesses.
import { openObjectColdStore } from "@strata/coldstore";
import { openFsObjectStore } from "@strata/objectstore";
import { tempDir } from "@strata/testkit";
import { openEmbeddedWarmIndex } from "@strata/warmindex";
import { onTestFinished } from "vitest";
import { coldTierStore } from "../adapters/tiers/cold-tier-store.js";
import { indexTierStore } from "../adapters/tiers/index-tier-store.js";
import type { AccessedDocument, RecordAccess } from "./ports.js";
import type { TierStores, TierVectorStore } from "./vectors/tier-vectors.js";

/** Counts accesses in arrays, for assertions. */
export class RecordedAccess implements RecordAccess {
  readonly read: AccessedDocument[] = [];
  readonly hit: AccessedDocument[] = [];
  reads(documents: readonly AccessedDocument[]): void {
    this.read.push(...documents);
  }
  hits(documents: readonly AccessedDocument[]): void {
    this.hit.push(...documents);
  }
}

/**
 * The tiers a test runs on: the real hot index it is given, and the real embedded warm index and
 * cold store, both on a files object store of the test's own (as the service runs embedded).
 */
export async function testTierStores(hot: TierVectorStore): Promise<TierStores> {
  const dir = await tempDir("namespace-tiers");
  const objects = await openFsObjectStore({ root: dir.path });
  const warm = openEmbeddedWarmIndex({ store: objects, prefix: "tiers/warm" });
  onTestFinished(async () => {
    await warm.close();
    await objects.close();
    await dir.remove();
  });
  return {
    hot,
    warm: indexTierStore("warm", warm, (metric) => warm.supportsMetric(metric)),
    cold: coldTierStore(openObjectColdStore({ store: objects, prefix: "tiers/cold" })),
  };
}
