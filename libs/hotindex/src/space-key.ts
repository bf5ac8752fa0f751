import { createHash } from "node:crypto";
import type { HotSpace } from "./port.js";

/** A stable, filesystem- and name-safe key of a space (same space → same key, on every run). */
export function spaceKey(space: HotSpace): string {
  return createHash("sha256")
    .update(JSON.stringify([space.namespaceId, space.featureUri, space.dimensions, space.metric]))
    .digest("hex")
    .slice(0, 32);
}

export function sameSpace(a: HotSpace, b: HotSpace): boolean {
  return (
    a.namespaceId === b.namespaceId &&
    a.featureUri === b.featureUri &&
    a.dimensions === b.dimensions &&
    a.metric === b.metric
  );
}
