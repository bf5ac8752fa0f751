import type { Caller } from "@strata/access";
import type { MetricName } from "@strata/contracts";
import type { Versioned } from "@strata/docstore";
import { canSee } from "../../shared/document-visibility.js";
import type { TierStores } from "../../shared/vectors/tier-vectors.js";
import type { CollectionRecord } from "../collections/tables.js";
import type { DocumentRecord, Tier } from "../documents/tables.js";

export interface MoveRequest {
  readonly collectionId: string;
  readonly documentId: string;
  readonly targetTier: Tier;
  /** When set, the move happens only if the document is in this tier now. */
  readonly expectedTier?: Tier | undefined;
}

export type MoveOutcome = "moved" | "unchanged" | "not_found" | "conflict" | "refused" | "failed";

export interface MoveResult {
  readonly collectionId: string;
  readonly documentId: string;
  readonly outcome: MoveOutcome;
  readonly fromTier?: Tier | undefined;
  readonly toTier: Tier;
  readonly message: string;
}

/** A move that passed the checks: what the copy, the pointer flip and the source delete work on. */
export interface PendingMove {
  readonly index: number;
  readonly collection: CollectionRecord;
  readonly current: Versioned<DocumentRecord>;
  readonly to: Tier;
}

/**
 * Decides each requested move from the document as it is now: the outcomes settled without any
 * copy (absent or hidden, conflict, unchanged, refused) go into `results`; the rest are pending.
 */
export function planMoves(
  caller: Caller,
  namespaceId: string,
  tiers: Pick<TierStores, "warm">,
  requests: readonly MoveRequest[],
  collections: ReadonlyMap<string, CollectionRecord>,
  documents: ReadonlyMap<string, Versioned<DocumentRecord>>,
  results: (MoveResult | undefined)[],
): PendingMove[] {
  const pending: PendingMove[] = [];
  const seen = new Set<string>();
  for (const [index, request] of requests.entries()) {
    const key = `${request.collectionId}/${request.documentId}`;
    const collection = collections.get(request.collectionId);
    const found = documents.get(key);
    if (collection === undefined || found === undefined || !canSee(caller, namespaceId, found.record)) {
      results[index] = {
        ...refOf(request),
        outcome: "not_found",
        toTier: request.targetTier,
        message: "no such document",
      };
      continue;
    }
    const settled = settledOutcome(tiers, request, collection, found.record, seen.has(key));
    seen.add(key);
    if (settled === undefined) pending.push({ index, collection, current: found, to: request.targetTier });
    else
      results[index] = {
        ...refOf(request),
        ...settled,
        fromTier: found.record.tier,
        toTier: request.targetTier,
      };
  }
  return pending;
}

/** The outcome of a move that needs no copy, or undefined when the move is to be made. */
function settledOutcome(
  tiers: Pick<TierStores, "warm">,
  request: MoveRequest,
  collection: CollectionRecord,
  doc: DocumentRecord,
  namedBefore: boolean,
): { outcome: MoveOutcome; message: string } | undefined {
  const from = doc.tier;
  if (namedBefore) return { outcome: "conflict", message: "the document is named twice in one call" };
  if (request.expectedTier !== undefined && request.expectedTier !== from)
    return { outcome: "conflict", message: `the document is in ${from}, not ${request.expectedTier}` };
  if (from === request.targetTier) return { outcome: "unchanged", message: `already in ${from}` };
  if (from === "archive")
    return {
      outcome: "refused",
      message: "an archived document has no vectors left to move; write its features again to bring it back",
    };
  const unheld = unheldMetric(tiers, collection, doc, request.targetTier);
  if (unheld !== undefined)
    return { outcome: "refused", message: `the ${request.targetTier} tier cannot hold ${unheld} vectors` };
  return undefined;
}

function refOf(request: MoveRequest) {
  return { collectionId: request.collectionId, documentId: request.documentId };
}

/** The first metric of the document's features the target tier cannot hold (only warm has limits). */
function unheldMetric(
  tiers: Pick<TierStores, "warm">,
  collection: CollectionRecord,
  doc: DocumentRecord,
  to: Tier,
): MetricName | undefined {
  if (to !== "warm") return undefined;
  for (const uri of doc.feature_uris) {
    const feature = collection.features.find((f) => f.feature_uri === uri);
    if (feature !== undefined && !tiers.warm.holds(feature.metric)) return feature.metric;
  }
  return undefined;
}
