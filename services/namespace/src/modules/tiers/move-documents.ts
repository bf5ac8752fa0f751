import { randomUUID } from "node:crypto";
import type { Caller } from "@strata/access";
import type { Versioned } from "@strata/docstore";
import { type AppError, err, ok, type Result, validationFailed } from "@strata/errors";
import { requirePermission } from "../../shared/namespace-access.js";
import { resolveNamespaceScope } from "../../shared/namespace-scope.js";
import { COLLECTIONS_TABLE, type CollectionRecord } from "../collections/tables.js";
import { DOCUMENTS_TABLE, type DocumentRecord, documentKey, type MoveReason } from "../documents/tables.js";
import type { NamespaceRecord } from "../namespaces/tables.js";
import { copyGroup, groupMoves, isVectorTier } from "./copy-moves.js";
import { flipPointers } from "./flip-pointers.js";
import { type MoveRequest, type MoveResult, type PendingMove, planMoves } from "./move-plan.js";
import type { TierPorts } from "./ports.js";
import { TIER_MOVES_TABLE, type TierMoveRecord } from "./tables.js";

/** The most moves one call may ask for (the proto's contract). */
export const MAX_MOVES_PER_CALL = 1000;

/**
 * Moves documents between tiers (ADR 0023), batched per (collection, source, target): copy to the
 * target → verify by checksum → one transaction compare-and-sets every pointer (appending to each
 * lineage) with one tier.migrated event → delete from the sources. A journal record spans the
 * whole move, so a crash anywhere leaves each document resolvable in the tier its pointer names
 * and its other copies listed for the start-up reconcile. Every step is safe to run again.
 */
export async function moveDocuments(
  ports: TierPorts,
  caller: Caller,
  namespaceId: string,
  requests: readonly MoveRequest[],
  reason: MoveReason,
): Promise<Result<MoveResult[], AppError>> {
  const allowed = requirePermission(caller, "write");
  if (!allowed.ok) return allowed;
  if (requests.length === 0 || requests.length > MAX_MOVES_PER_CALL) {
    return err(
      validationFailed([
        { location: "moves", message: `name 1..${MAX_MOVES_PER_CALL} moves`, type: "out_of_range" },
      ]),
    );
  }
  const namespace = await resolveNamespaceScope(ports.store, caller, namespaceId);
  if (!namespace.ok) return namespace;
  const collections = await collectionsOf(ports, namespace.value, requests);
  // Moves take a slot, so a burst of them never holds every turn of the stores queries wait on.
  return ports.moveSlots.run(() =>
    inTurns(ports, [...collections.keys()].sort(), requests, () =>
      moveNow(ports, caller, namespace.value, requests, reason, collections),
    ),
  );
}

async function moveNow(
  ports: TierPorts,
  caller: Caller,
  namespace: NamespaceRecord,
  requests: readonly MoveRequest[],
  reason: MoveReason,
  collections: ReadonlyMap<string, CollectionRecord>,
): Promise<Result<MoveResult[], AppError>> {
  const documents = await documentsOf(ports, requests);
  const results: (MoveResult | undefined)[] = requests.map(() => undefined);
  const pending = planMoves(caller, namespace.id, ports.tiers, requests, collections, documents, results);
  const settle = (move: PendingMove, outcome: MoveResult["outcome"], message: string) => {
    const request = requests[move.index];
    if (request === undefined) return;
    results[move.index] = {
      collectionId: request.collectionId,
      documentId: request.documentId,
      outcome,
      fromTier: move.current.record.tier,
      toTier: move.to,
      message,
    };
  };
  if (pending.length > 0) {
    const journal = await ports.store.table<TierMoveRecord>(TIER_MOVES_TABLE).insert({
      id: randomUUID(),
      namespace_id: namespace.id,
      moves: pending.map((m) => ({
        collection_id: m.collection.id,
        document_id: m.current.record.document_id,
        from_tier: m.current.record.tier,
        to_tier: m.to,
      })),
      started_at: ports.clock().toISOString(),
    });
    if (!journal.ok) throw new Error(`Journalling a tier move failed: ${journal.error}`);
    const ready: PendingMove[] = [];
    const written: PendingMove[] = [];
    for (const group of groupMoves(pending)) {
      const copied = await copyGroup(ports.tiers, group);
      ready.push(...copied.ready);
      written.push(...copied.written);
      for (const { move, message } of copied.failed) settle(move, "failed", message);
    }
    const flipped = await flipPointers(ports, namespace, ready, reason);
    for (const move of ready)
      if (flipped.moved.has(move)) settle(move, "moved", "");
      else settle(move, "conflict", "the document changed while it moved; nothing moved");
    const leftovers = [
      ...[...flipped.moved].map((m) => ({ move: m, tier: m.current.record.tier })),
      ...written.filter((m) => !flipped.moved.has(m)).map((m) => ({ move: m, tier: m.to })),
    ];
    // Only when every leftover copy is gone is the journal done; else the reconcile finishes it.
    if (await removeCopies(ports, leftovers))
      await ports.store.table(TIER_MOVES_TABLE).delete(journal.value.record.id);
  }
  return ok(results.map((r, i) => r ?? failedResult(requests[i])));
}

function failedResult(request: MoveRequest | undefined): MoveResult {
  return {
    collectionId: request?.collectionId ?? "",
    documentId: request?.documentId ?? "",
    outcome: "failed",
    toTier: request?.targetTier ?? "hot",
    message: "not moved",
  };
}

/** Removes copies no pointer names any more, one call per (collection, tier); true when all went. */
async function removeCopies(
  ports: TierPorts,
  copies: readonly { readonly move: PendingMove; readonly tier: DocumentRecord["tier"] }[],
): Promise<boolean> {
  const groups = new Map<
    string,
    { collection: CollectionRecord; tier: DocumentRecord["tier"]; ids: string[] }
  >();
  for (const { move, tier } of copies) {
    if (!isVectorTier(tier) || move.current.record.feature_uris.length === 0) continue;
    const key = `${move.collection.id}\0${tier}`;
    const group = groups.get(key) ?? { collection: move.collection, tier, ids: [] };
    group.ids.push(move.current.record.document_id);
    groups.set(key, group);
  }
  let all = true;
  for (const { collection, tier, ids } of groups.values()) {
    if (!isVectorTier(tier)) continue;
    const removed = await ports.tiers[tier].remove(collection, ids);
    if (!removed.ok) all = false;
  }
  return all;
}

/** The active collections of the namespace the requests name (others: their moves are not found). */
async function collectionsOf(
  ports: TierPorts,
  namespace: NamespaceRecord,
  requests: readonly MoveRequest[],
): Promise<Map<string, CollectionRecord>> {
  const found = new Map<string, CollectionRecord>();
  for (const id of new Set(requests.map((r) => r.collectionId))) {
    const collection = await ports.store.table<CollectionRecord>(COLLECTIONS_TABLE).get(id);
    if (
      collection !== undefined &&
      collection.record.namespace_id === namespace.id &&
      collection.record.state === "active"
    )
      found.set(id, collection.record);
  }
  return found;
}

async function documentsOf(
  ports: TierPorts,
  requests: readonly MoveRequest[],
): Promise<Map<string, Versioned<DocumentRecord>>> {
  const keys = [...new Set(requests.map((r) => documentKey(r.collectionId, r.documentId)))];
  const rows = await ports.store
    .table<DocumentRecord>(DOCUMENTS_TABLE)
    .find({ where: { id: { $in: keys } } });
  return new Map(rows.map((row) => [row.record.id, row]));
}

/** Runs `work` in the turns of every named document, collection by collection in a fixed order. */
function inTurns<T>(
  ports: TierPorts,
  collectionIds: readonly string[],
  requests: readonly MoveRequest[],
  work: () => Promise<T>,
): Promise<T> {
  const [first, ...rest] = collectionIds;
  if (first === undefined) return work();
  const ids = requests.filter((r) => r.collectionId === first).map((r) => r.documentId);
  return ports.vectors.exclusive(first, ids, () => inTurns(ports, rest, requests, work));
}
