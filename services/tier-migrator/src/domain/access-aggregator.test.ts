import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DocStore, openSqliteDocStore } from "@strata/docstore";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AccessAggregator, type AccessCount } from "./access-aggregator.js";
import { ACCESS_TABLE, POLICIES_TABLE, type PolicyRecord, TIERING_TABLE_SPECS } from "./tables.js";

const NOW = new Date("2026-12-05T12:00:00.000Z");
let dir: string;
let store: DocStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "strata-access-aggregator-"));
  store = openSqliteDocStore({ path: join(dir, "tiering.db") });
  for (const spec of TIERING_TABLE_SPECS) await store.ensureTable(spec);
});

afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

function policyOf(namespaceId: string, organizationId: string): PolicyRecord {
  return {
    id: namespaceId,
    organization_id: organizationId,
    hot_to_warm_after_days: 7,
    warm_to_cold_after_days: null,
    cold_to_archive_after_days: null,
    promote_after_accesses: null,
    promote_window_hours: null,
    collection_ids: [],
    updated_at: NOW.toISOString(),
    reconciled_at: null,
    accesses_counted_since: NOW.toISOString(),
  };
}

function read(
  namespaceId: string,
  documentId: string,
  tier: AccessCount["tier"],
  reads: number,
): AccessCount {
  return {
    organizationId: "org_a",
    namespaceId,
    collectionId: "col_1",
    documentId,
    tier,
    reads,
    hits: reads === 0 ? 1 : 0,
    lastAccessedAt: NOW.toISOString(),
  };
}

describe("AccessAggregator (ADR 0046)", () => {
  it("keeps counts only for namespaces with a policy of the document's organization, and still sends cold reads back to hot", async () => {
    await store.table<PolicyRecord>(POLICIES_TABLE).insert(policyOf("ns_tiered", "org_a"));
    await store.table<PolicyRecord>(POLICIES_TABLE).insert(policyOf("ns_foreign", "org_b"));
    const aggregator = new AccessAggregator(store, () => NOW);
    const added = aggregator.add([
      read("ns_tiered", "doc_1", "hot", 1),
      read("ns_tiered", "doc_2", "cold", 1),
      read("ns_plain", "doc_3", "hot", 2),
      read("ns_plain", "doc_4", "cold", 1),
      read("ns_plain", "doc_5", "cold", 0),
      read("ns_foreign", "doc_6", "hot", 1),
    ]);
    const coldReads = await aggregator.flush();
    await added;
    const rows = await store.table(ACCESS_TABLE).find({});
    expect(rows.map((r) => r.record.id).sort()).toEqual(["ns_tiered/col_1/doc_1", "ns_tiered/col_1/doc_2"]);
    expect(coldReads.map((c) => c.documentId).sort()).toEqual(["doc_2", "doc_4"]);
  });

  it("answers the counts of a namespace without a policy at once: nothing is held for a flush", async () => {
    const aggregator = new AccessAggregator(store, () => NOW);
    // No flush is ever called: an add that joined the flush's waiters would never settle.
    await aggregator.add([read("ns_plain", "doc_1", "hot", 2), read("ns_plain", "doc_2", "warm", 0)]);
    expect(aggregator.size).toBe(0);
    expect(aggregator.added).toBe(1);
    // A cold read is held: the flush sends it back to hot.
    const held = aggregator.add([read("ns_plain", "doc_3", "cold", 1)]);
    await vi.waitFor(() => expect(aggregator.added).toBe(2));
    expect(aggregator.size).toBe(1);
    expect((await aggregator.flush()).map((c) => c.documentId)).toEqual(["doc_3"]);
    await held;
  });
});
