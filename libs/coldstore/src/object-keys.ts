import { createHash } from "node:crypto";
import type { ColdRef } from "./port.js";

const SAFE = /^[A-Za-z0-9_-]{1,200}$/;

/**
 * An id as one object-key segment: as is when it only has characters keys allow, otherwise a hash
 * behind a "." (which no id kept as is can start with, so the two forms never collide). The ids
 * themselves are in the object's header, so nothing is lost.
 */
export function keySegment(id: string): string {
  return SAFE.test(id) ? id : `.h${createHash("sha256").update(id).digest("hex")}`;
}

/** `<prefix>/<namespace>/`: dropping a namespace is one prefix delete. */
export function namespacePrefix(prefix: string, namespaceId: string): string {
  return `${prefix}/${keySegment(namespaceId)}/`;
}

export function collectionPrefix(prefix: string, namespaceId: string, collectionId: string): string {
  return `${namespacePrefix(prefix, namespaceId)}${keySegment(collectionId)}/`;
}

export function documentKey(prefix: string, ref: ColdRef): string {
  return `${collectionPrefix(prefix, ref.namespaceId, ref.collectionId)}${keySegment(ref.documentId)}.cold`;
}
