import { createHash, randomBytes } from "node:crypto";
import { spaceKey } from "@strata/hotindex";
import type { WarmSpace } from "../port.js";

/**
 * Where a warm space lives on the ObjectStore (ADR 0022):
 *   <prefix>/manifests/<ns>/<space>.json   the commit point: which segments are live, in order
 *   <prefix>/segments/<ns>/<space>/<seq>-<random>.seg   immutable segments
 * `<ns>` is a hash of the namespace id (ids may hold characters object keys do not allow), so
 * dropping a namespace is two prefix deletes.
 */
export interface SpaceLayout {
  readonly manifestKey: string;
  readonly segmentPrefix: string;
}

export function namespaceKey(namespaceId: string): string {
  return createHash("sha256").update(namespaceId).digest("hex").slice(0, 24);
}

export function manifestsPrefix(prefix: string, namespaceId?: string): string {
  return namespaceId === undefined
    ? `${prefix}/manifests/`
    : `${prefix}/manifests/${namespaceKey(namespaceId)}/`;
}

export function segmentsPrefix(prefix: string, namespaceId: string): string {
  return `${prefix}/segments/${namespaceKey(namespaceId)}/`;
}

export function spaceLayout(prefix: string, space: WarmSpace): SpaceLayout {
  const key = spaceKey(space);
  return {
    manifestKey: `${manifestsPrefix(prefix, space.namespaceId)}${key}.json`,
    segmentPrefix: `${segmentsPrefix(prefix, space.namespaceId)}${key}/`,
  };
}

/** A new segment's object name: sequence first (readable order), random so a retry never collides. */
export function segmentName(sequence: number): string {
  return `${String(sequence).padStart(10, "0")}-${randomBytes(4).toString("hex")}.seg`;
}

export interface SegmentRef {
  readonly name: string;
  /** Records written in it (live or not). */
  readonly records: number;
}

export interface Manifest {
  readonly version: 1;
  readonly space: WarmSpace;
  readonly nextSequence: number;
  /** Live vectors after applying every segment (what `stats` reports without reading segments). */
  readonly count: number;
  /** Oldest first: a later segment's records and tombstones win over earlier ones. */
  readonly segments: readonly SegmentRef[];
}

export function emptyManifest(space: WarmSpace): Manifest {
  const { namespaceId, featureUri, dimensions, metric } = space;
  return {
    version: 1,
    space: { namespaceId, featureUri, dimensions, metric },
    nextSequence: 1,
    count: 0,
    segments: [],
  };
}

export function parseManifest(bytes: Buffer): Manifest | undefined {
  try {
    const m = JSON.parse(bytes.toString("utf8")) as Manifest;
    return m.version === 1 && Array.isArray(m.segments) ? m : undefined;
  } catch {
    return undefined;
  }
}
