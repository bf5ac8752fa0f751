import { createHash } from "node:crypto";
import type { HotSpace } from "../port.js";

/**
 * The Qdrant collection of a space's feature: one per (feature URI, dimensions, metric), shared by
 * every namespace (namespaces are tenants inside it, as Qdrant's multitenancy guide recommends).
 * Readable part + hash: safe characters only, ≤ 100 characters, and two URIs that slug alike still differ.
 */
export function qdrantCollectionName(prefix: string, space: HotSpace): string {
  const slug = space.featureUri
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, "")
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 48);
  const hash = createHash("sha256").update(space.featureUri).digest("hex").slice(0, 12);
  return `${prefix}_${slug}_${space.dimensions}_${space.metric}_${hash}`;
}

/** A fixed namespace for the name-based UUIDs below (random, chosen once). */
const POINT_ID_NAMESPACE = Buffer.from("6f1c2a8e4b7d4e0f9a3c5d7e8f901b2c", "hex");

/**
 * Qdrant point ids must be UUIDs or integers: a name-based (version 5, RFC 4122) UUID of
 * (namespace, collection, document), so the same document always maps to the same point.
 */
export function qdrantPointId(namespaceId: string, collectionId: string, documentId: string): string {
  const name = Buffer.from(JSON.stringify([namespaceId, collectionId, documentId]), "utf8");
  const bytes = createHash("sha1").update(POINT_ID_NAMESPACE).update(name).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
