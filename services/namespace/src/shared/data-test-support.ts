// Helpers for this package's tests of collections, documents and taxonomies; not exported.
import { join } from "node:path";
import { OUTBOX_TABLE_SPEC } from "@strata/bus";
import { openSqliteDocStore } from "@strata/docstore";
import { openEmbeddedHotIndex } from "@strata/hotindex";
import { newId } from "@strata/ids";
import { tempDir } from "@strata/testkit";
import { onTestFinished } from "vitest";
import { hotIndexVectors, hotTierStore } from "../adapters/hot-index/hot-index-vectors.js";
import type { CollectionPorts } from "../modules/collections/ports.js";
import type { DocumentPorts } from "../modules/documents/ports.js";
import { createNamespace } from "../modules/namespaces/create-namespace.js";
import type { NamespacePorts } from "../modules/namespaces/ports.js";
import type { SearchPorts } from "../modules/search/ports.js";
import type { TaxonomyPorts } from "../modules/taxonomies/ports.js";
import type { TierPorts } from "../modules/tiers/ports.js";
import { workSlots } from "../modules/tiers/work-slots.js";
import { MODULE_TABLE_SPECS } from "../modules.js";
import { MetadataValidators } from "./metadata-validators.js";
import { callerOf, type TestNamespaces, testNamespaces } from "./test-support.js";
import { RecordedAccess, testTierStores } from "./tier-test-support.js";
import { tieredVectors } from "./vectors/tiered-vectors.js";

/** Every port the data modules' tests hand to their use cases (each takes the part it declares). */
export type TestDataPorts = NamespacePorts &
  CollectionPorts &
  DocumentPorts &
  TaxonomyPorts &
  Pick<SearchPorts, "vectors">;

/** The data ports with every tier, the move slots and a recorder of accesses. */
export type TieredTestPorts = TestDataPorts &
  SearchPorts &
  TierPorts & { readonly recordAccess: RecordedAccess };

export interface TestData extends TestNamespaces {
  readonly ports: TieredTestPorts;
  readonly organizationId: string;
  /** Two namespaces of the organization. */
  readonly namespaceId: string;
  readonly otherNamespaceId: string;
}

/** `sqlite`: the documents live in a real SQLite store (a file of the test's own) instead of memory. */
export async function testData(options: { readonly sqlite?: boolean } = {}): Promise<TestData> {
  const memory = await testNamespaces();
  const base = options.sqlite ? await onSqlite(memory) : memory;
  for (const spec of MODULE_TABLE_SPECS) await base.store.ensureTable(spec);
  // The real embedded hot index, in a directory of its own that goes when the test ends.
  const dir = await tempDir("namespace-vectors");
  const index = await openEmbeddedHotIndex({ dir: dir.path });
  const hot = hotIndexVectors(index);
  onTestFinished(async () => {
    await hot.close();
    await dir.remove();
  });
  const tiers = await testTierStores(hotTierStore(index));
  const access = new RecordedAccess();
  const ports: TieredTestPorts = {
    ...base.ports,
    metadataValidators: new MetadataValidators(),
    vectors: tieredVectors(hot, tiers),
    tiers,
    recordAccess: access,
    moveSlots: workSlots(2),
  };
  const organizationId = newId("organization");
  const admin = callerOf(organizationId);
  const ids: string[] = [];
  for (const namespaceName of ["main", "other"]) {
    const created = await createNamespace(ports, admin, { namespaceName, description: "" });
    if (!created.ok) throw new Error(created.error.message);
    ids.push(created.value.id);
  }
  const [namespaceId = "", otherNamespaceId = ""] = ids;
  return { ...base, ports, organizationId, namespaceId, otherNamespaceId };
}

export function kindOf(result: { ok: boolean; error?: { kind: string } }): string | undefined {
  return result.ok ? undefined : result.error?.kind;
}

/** The `validation_errors` of a failed result, as "location: type" strings. */
export function issuesOf(result: {
  ok: boolean;
  error?: { details?: Readonly<Record<string, unknown>> };
}): string[] {
  if (result.ok) return [];
  const issues = result.error?.details?.validation_errors;
  return Array.isArray(issues)
    ? issues.map((i: { location: string; type: string }) => `${i.location}: ${i.type}`)
    : [];
}

async function onSqlite(memory: TestNamespaces): Promise<TestNamespaces> {
  const dir = await tempDir("namespace-store");
  const store = openSqliteDocStore({ path: join(dir.path, "store.db") });
  onTestFinished(async () => {
    await store.close();
    await dir.remove();
  });
  await store.ensureTable(OUTBOX_TABLE_SPEC);
  return { ...memory, store, ports: { ...memory.ports, store } };
}
