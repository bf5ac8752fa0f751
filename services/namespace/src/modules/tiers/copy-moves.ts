import type { TierEntry, TierStores, VectorTier } from "../../shared/vectors/tier-vectors.js";
import { vectorPayload } from "../../shared/vectors/vector-payload.js";
import type { Tier } from "../documents/tables.js";
import { vectorChecksum } from "./checksum.js";
import type { PendingMove } from "./move-plan.js";

/** Moves that share a collection, a source and a target: one read, one write, one read-back. */
export function groupMoves(moves: readonly PendingMove[]): PendingMove[][] {
  const groups = new Map<string, PendingMove[]>();
  for (const move of moves) {
    const key = `${move.collection.id}\0${move.current.record.tier}\0${move.to}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [move]);
    else group.push(move);
  }
  return [...groups.values()];
}

export function isVectorTier(tier: Tier): tier is VectorTier {
  return tier !== "archive";
}

/** What copying a group gave: the moves ready for the pointer flip, and those that failed (and why). */
export interface CopyOutcome {
  readonly ready: PendingMove[];
  readonly failed: { readonly move: PendingMove; readonly message: string }[];
  /** Documents now written in the target (to remove again if their pointer does not flip). */
  readonly written: PendingMove[];
}

/**
 * Copies a group's vectors to its target tier and verifies them: every document's vectors are read
 * from the source, written to the target with the payload the target tier's filters read (its
 * `tier` field says the new tier), read back, and compared by checksum of their float32 bytes.
 * A document without features (or a move to archive) has nothing to copy.
 */
export async function copyGroup(tiers: TierStores, group: readonly PendingMove[]): Promise<CopyOutcome> {
  const [first] = group;
  const outcome: CopyOutcome = { ready: [], failed: [], written: [] };
  if (first === undefined) return outcome;
  const { collection, to } = first;
  const from = first.current.record.tier;
  const withVectors = group.filter((m) => m.current.record.feature_uris.length > 0);
  if (!isVectorTier(to) || !isVectorTier(from) || withVectors.length === 0) {
    outcome.ready.push(...group);
    return outcome;
  }
  const fail = (moves: readonly PendingMove[], message: string) => {
    for (const move of moves) outcome.failed.push({ move, message });
  };
  const source = await tiers[from].read(collection, ids(withVectors));
  if (!source.ok) {
    fail(withVectors, `reading the ${from} tier failed: ${source.error.message}`);
    return outcome;
  }
  const byId = new Map(source.value.map((e) => [e.documentId, e]));
  const copies: TierEntry[] = [];
  const copied: PendingMove[] = [];
  for (const move of group) {
    const record = move.current.record;
    if (record.feature_uris.length === 0) {
      outcome.ready.push(move);
      continue;
    }
    const entry = byId.get(record.document_id);
    if (entry === undefined || entry.vectors.length !== record.feature_uris.length) {
      fail([move], `the ${from} tier does not hold the document's vectors`);
      continue;
    }
    copies.push({ ...entry, payload: vectorPayload({ ...record, tier: to }) });
    copied.push(move);
  }
  if (copies.length === 0) return outcome;
  const written = await tiers[to].write(collection, copies);
  if (!written.ok) {
    // A partial write may have landed: remove it if the pointer stays (the journal covers a crash).
    outcome.written.push(...copied);
    fail(copied, `writing the ${to} tier failed: ${written.error.message}`);
    return outcome;
  }
  outcome.written.push(...copied);
  const readBack = await tiers[to].read(collection, ids(copied));
  if (!readBack.ok) {
    fail(copied, `reading back the ${to} tier failed: ${readBack.error.message}`);
    return outcome;
  }
  const back = new Map(readBack.value.map((e) => [e.documentId, e]));
  const sums = new Map(copies.map((c) => [c.documentId, vectorChecksum(c.vectors)]));
  for (const move of copied) {
    const id = move.current.record.document_id;
    const copy = back.get(id);
    if (copy === undefined || vectorChecksum(copy.vectors) !== sums.get(id))
      fail([move], `the copy in ${to} does not match the ${from} vectors (checksum)`);
    else outcome.ready.push(move);
  }
  return outcome;
}

function ids(moves: readonly PendingMove[]): string[] {
  return moves.map((m) => m.current.record.document_id);
}
