import { crc32 } from "node:zlib";
import { METRICS } from "@strata/contracts";
import type { Metric } from "@strata/hotindex";
import { decodeFrame, encodeFrame } from "./binary-frame.js";
import type { ColdDocument, ColdVector } from "./port.js";

/**
 * Version 2 of the cold format (docs/cold-format.md, ADR 0033): a pack holds the documents one
 * putMany wrote to one collection, in one frame, so a move of 1,000 documents is one object and
 * one fsync instead of 1,000. Its header is the pack's index: per document its payload, its
 * vectors' descriptors, where its floats start and a CRC-32 of them.
 */
export const COLD_PACK_MAGIC = "SCLP";
export const COLD_PACK_VERSION = 2;

export interface PackEntry {
  readonly documentId: string;
  readonly payload: Record<string, unknown>;
  readonly vectors: { featureUri: string; dimensions: number; metric: Metric }[];
  /** Index of the document's first float in the frame's float body. */
  readonly at: number;
  /** CRC-32 of the document's float32 LE bytes. */
  readonly crc: number;
}

export interface PackHeader {
  readonly namespaceId: string;
  readonly collectionId: string;
  readonly documents: PackEntry[];
}

/** Encodes documents of one collection (the caller groups them) as one pack. */
export function encodeColdPack(docs: readonly ColdDocument[]): Buffer {
  const [first] = docs;
  if (first === undefined) throw new Error("a cold pack holds at least one document");
  const total = docs.reduce((n, d) => n + d.vectors.reduce((m, v) => m + v.vector.length, 0), 0);
  const floats = new Float32Array(total);
  const documents: PackEntry[] = [];
  let at = 0;
  for (const doc of docs) {
    const start = at;
    for (const v of doc.vectors) {
      floats.set(v.vector, at);
      at += v.vector.length;
    }
    documents.push({
      documentId: doc.documentId,
      payload: doc.payload as Record<string, unknown>,
      vectors: doc.vectors.map(({ featureUri, dimensions, metric }) => ({ featureUri, dimensions, metric })),
      at: start,
      crc: floatsCrc(floats.subarray(start, at)),
    });
  }
  const header: PackHeader = { namespaceId: first.namespaceId, collectionId: first.collectionId, documents };
  return encodeFrame(COLD_PACK_MAGIC, COLD_PACK_VERSION, header, floats);
}

/** Every document of a pack, or what is wrong with the bytes (never a partly decoded pack). */
export function decodeColdPack(bytes: Uint8Array): ColdDocument[] | string {
  const decoded = decodeFrame(bytes, COLD_PACK_MAGIC, [COLD_PACK_VERSION]);
  if (!decoded.ok) return decoded.problem;
  const header = decoded.frame.header as PackHeader;
  const floats = decoded.frame.floats;
  if (!Array.isArray(header.documents)) return "pack header has no document index";
  const docs: ColdDocument[] = [];
  let expected = 0;
  for (const entry of header.documents) {
    if (entry.at !== expected) return `document ${entry.documentId} is not where the index says`;
    const vectors: ColdVector[] = [];
    let at = entry.at;
    for (const v of entry.vectors ?? []) {
      if (!Number.isInteger(v.dimensions) || v.dimensions < 1 || !METRICS.includes(v.metric))
        return "bad vector descriptor";
      vectors.push({ ...v, vector: floats.slice(at, at + v.dimensions) });
      at += v.dimensions;
    }
    if (at > floats.length || floatsCrc(floats.subarray(entry.at, at)) !== entry.crc)
      return `document ${entry.documentId} fails its checksum`;
    expected = at;
    docs.push({
      namespaceId: header.namespaceId,
      collectionId: header.collectionId,
      documentId: entry.documentId,
      payload: entry.payload ?? {},
      vectors,
    });
  }
  if (expected !== floats.length) return "vector lengths do not add up";
  return docs;
}

/**
 * The document ids a pack holds, from its header alone (the pack index a store builds at load).
 * Not checksummed here: reading a document decodes the whole pack, which is.
 */
export function packDocumentIds(headerBytes: Buffer): string[] | string {
  if (headerBytes.byteLength < 12) return "truncated";
  if (headerBytes.toString("latin1", 0, 4) !== COLD_PACK_MAGIC) return "wrong magic";
  if (headerBytes.readUInt16LE(4) !== COLD_PACK_VERSION) return "unsupported version";
  const length = headerBytes.readUInt32LE(8);
  if (headerBytes.byteLength < 12 + length) return "truncated";
  try {
    const header = JSON.parse(headerBytes.toString("utf8", 12, 12 + length)) as PackHeader;
    return header.documents.map((d) => d.documentId);
  } catch {
    return "header is not JSON";
  }
}

/** Bytes of a pack's start that hold its header (what `packDocumentIds` needs). */
export function packHeaderLength(start: Buffer): number | undefined {
  return start.byteLength < 12 ? undefined : 12 + start.readUInt32LE(8);
}

function floatsCrc(floats: Float32Array): number {
  return crc32(new Uint8Array(floats.buffer, floats.byteOffset, floats.byteLength));
}
