import type { TierName } from "@strata/contracts";
import type { DocStore, DocStoreSession } from "@strata/docstore";
import { ok } from "@strata/errors";
import { ACCESS_TABLE, type AccessRecord, accessId, POLICIES_TABLE, type PolicyRecord } from "./tables.js";

export interface DocumentKey {
  readonly organizationId: string;
  readonly namespaceId: string;
  readonly collectionId: string;
  readonly documentId: string;
}

/** A document never accessed yet: idle since it was created. */
export function newAccessRecord(
  key: DocumentKey,
  tier: TierName,
  createdAt: string,
  tierChangedAt = createdAt,
) {
  const record: AccessRecord = {
    id: accessId(key.namespaceId, key.collectionId, key.documentId),
    organization_id: key.organizationId,
    namespace_id: key.namespaceId,
    collection_id: key.collectionId,
    document_id: key.documentId,
    tier,
    created_at: createdAt,
    tier_changed_at: tierChangedAt,
    last_accessed_at: null,
    idle_since: createdAt,
    reads: 0,
    hits: 0,
    hours: [],
  };
  return record;
}

/** document.created: seeds the document's row (a replayed event changes nothing). */
async function seedCreated(session: DocStoreSession, key: DocumentKey, createdAt: string): Promise<void> {
  const table = session.table<AccessRecord>(ACCESS_TABLE);
  const id = accessId(key.namespaceId, key.collectionId, key.documentId);
  if ((await table.get(id)) !== undefined) return;
  // Taken meanwhile (an access or a migration came first): that row stands.
  await table.insert(newAccessRecord(key, "hot", createdAt));
}

export interface CreatedDocument {
  readonly key: DocumentKey;
  readonly createdAt: string;
}

/**
 * Seeds many created documents in one transaction: an ingest delivers thousands of
 * document.created events a second, and one SQLite commit per row was the largest single cost of
 * this consumer (docs/benchmarks.md, issue 14). Only documents of namespaces with a tiering policy
 * are seeded: without one nothing reads the rows, and a policy's first sweep seeds every document
 * from the namespace's placements anyway (reconcile.ts), so the ingest of a namespace that does not
 * tier pays for no statistics (ADR 0045).
 */
export async function seedCreatedMany(store: DocStore, created: readonly CreatedDocument[]): Promise<void> {
  await store.transaction(async (tx) => {
    const tiered = await namespacesWithPolicy(
      tx,
      created.map((c) => c.key),
    );
    for (const { key, createdAt } of created) {
      if (tiered.has(key.namespaceId)) await seedCreated(tx, key, createdAt);
    }
    return ok(undefined);
  });
}

/** The namespaces among `keys` with a policy of the document's organization, one read each. */
export async function namespacesWithPolicy(
  session: DocStoreSession,
  keys: readonly DocumentKey[],
): Promise<Set<string>> {
  const policies = session.table<PolicyRecord>(POLICIES_TABLE);
  const tiered = new Set<string>();
  const asked = new Set<string>();
  for (const key of keys) {
    if (asked.has(key.namespaceId)) continue;
    asked.add(key.namespaceId);
    const policy = await policies.get(key.namespaceId);
    if (policy?.record.organization_id === key.organizationId) tiered.add(key.namespaceId);
  }
  return tiered;
}

/**
 * A move the namespace service made (tier.migrated, or a MoveDocuments answer): the row follows,
 * unless it already knows a later change.
 */
export async function recordTier(
  session: DocStoreSession,
  key: DocumentKey,
  tier: TierName,
  changedAt: string,
): Promise<void> {
  const table = session.table<AccessRecord>(ACCESS_TABLE);
  for (let attempt = 0; attempt < 5; attempt++) {
    const id = accessId(key.namespaceId, key.collectionId, key.documentId);
    const found = await table.get(id);
    if (found === undefined) {
      const inserted = await table.insert(newAccessRecord(key, tier, changedAt));
      if (inserted.ok) return;
      continue;
    }
    if (found.record.tier === tier || found.record.tier_changed_at > changedAt) return;
    const replaced = await table.replace(
      { ...found.record, tier, tier_changed_at: changedAt },
      found.version,
    );
    if (replaced.ok) return;
  }
}

export async function forgetDocument(session: DocStoreSession, key: DocumentKey): Promise<void> {
  await session.table(ACCESS_TABLE).delete(accessId(key.namespaceId, key.collectionId, key.documentId));
}
