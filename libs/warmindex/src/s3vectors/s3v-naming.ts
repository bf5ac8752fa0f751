import { createHash } from "node:crypto";
import { spaceKey } from "@strata/hotindex";
import type { WarmSpace } from "../port.js";

/**
 * S3 Vectors names (ADR 0022). Index names are 3–63 characters of [a-z0-9.-], starting and ending
 * with a letter or digit, so they are built from hashes: `<prefix>-<namespace hash 16>-<space hash 24>`
 * (prefix ≤ 20 characters). The namespace part lets `dropNamespace` list its indexes by prefix.
 */
export const MAX_INDEX_PREFIX = 20;
const PREFIX = /^[a-z0-9][a-z0-9-]{0,19}$/;

export function checkIndexPrefix(prefix: string): void {
  if (!PREFIX.test(prefix))
    throw new Error(`S3 Vectors index prefix ${JSON.stringify(prefix)} must match ${PREFIX}`);
}

export function namespaceIndexPrefix(prefix: string, namespaceId: string): string {
  return `${prefix}-${createHash("sha256").update(namespaceId).digest("hex").slice(0, 16)}-`;
}

export function indexName(prefix: string, space: WarmSpace): string {
  return `${namespaceIndexPrefix(prefix, space.namespaceId)}${spaceKey(space).slice(0, 24)}`;
}

/** The vector key: collection and id, each URI-encoded so the "/" between them is unambiguous. */
export function vectorKey(collectionId: string, id: string): string {
  return `${encodeURIComponent(collectionId)}/${encodeURIComponent(id)}`;
}

export function collectionKeyPrefix(collectionId: string): string {
  return `${encodeURIComponent(collectionId)}/`;
}

/** Partitions for searches beyond the topK limit: a stable hash of the key in [0, PARTITIONS). */
export const PARTITIONS = 65_536;

export function partitionOf(key: string): number {
  return createHash("sha256").update(key).digest().readUInt16BE(0);
}

/** The space, kept in index tags (values ≤ 256 characters) so `stats()` can list every space. */
export function spaceTags(space: WarmSpace): Record<string, string> {
  const { namespaceId, featureUri, dimensions, metric } = space;
  const encoded = Buffer.from(JSON.stringify({ namespaceId, featureUri, dimensions, metric })).toString(
    "base64url",
  );
  const tags: Record<string, string> = {};
  for (let i = 0; i * 256 < encoded.length; i++)
    tags[`strata-space-${i}`] = encoded.slice(i * 256, (i + 1) * 256);
  return tags;
}

export function spaceFromTags(tags: Readonly<Record<string, string>>): WarmSpace | undefined {
  let encoded = "";
  for (let i = 0; tags[`strata-space-${i}`] !== undefined; i++) encoded += tags[`strata-space-${i}`];
  try {
    return encoded
      ? (JSON.parse(Buffer.from(encoded, "base64url").toString("utf8")) as WarmSpace)
      : undefined;
  } catch {
    return undefined;
  }
}
