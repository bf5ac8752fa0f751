import { createHash } from "node:crypto";
import type { HotSpace } from "./port.js";

/**
 * Keys already computed. A search asks for its space's key several times (the hot and the warm
 * index each look their space up), and a SHA-256 per lookup was a measurable part of a query;
 * spaces are few, and the memo is dropped whole if it ever grows past this many.
 */
const MEMO_ENTRIES = 10_000;
const memo = new Map<string, string>();

/** A stable, filesystem- and name-safe key of a space (same space → same key, on every run). */
export function spaceKey(space: HotSpace): string {
  const identity = JSON.stringify([space.namespaceId, space.featureUri, space.dimensions, space.metric]);
  const known = memo.get(identity);
  if (known !== undefined) return known;
  const key = createHash("sha256").update(identity).digest("hex").slice(0, 32);
  if (memo.size >= MEMO_ENTRIES) memo.clear();
  memo.set(identity, key);
  return key;
}

export function sameSpace(a: HotSpace, b: HotSpace): boolean {
  return (
    a.namespaceId === b.namespaceId &&
    a.featureUri === b.featureUri &&
    a.dimensions === b.dimensions &&
    a.metric === b.metric
  );
}
