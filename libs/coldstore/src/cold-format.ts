import { METRICS } from "@strata/contracts";
import type { Metric } from "@strata/hotindex";
import { decodeFrame, encodeFrame } from "./binary-frame.js";
import type { ColdDocument, ColdVector } from "./port.js";

/** Version 1 of the cold object format, documented in docs/cold-format.md. */
export const COLD_MAGIC = "SCLD";
export const COLD_VERSION = 1;

interface ColdHeader {
  readonly namespaceId: string;
  readonly collectionId: string;
  readonly documentId: string;
  readonly payload: Record<string, unknown>;
  /** In the order their floats follow each other in the body. */
  readonly vectors: { featureUri: string; dimensions: number; metric: Metric }[];
}

export function encodeColdDocument(doc: ColdDocument): Buffer {
  const total = doc.vectors.reduce((n, v) => n + v.vector.length, 0);
  const floats = new Float32Array(total);
  let at = 0;
  for (const v of doc.vectors) {
    floats.set(v.vector, at);
    at += v.vector.length;
  }
  const header: ColdHeader = {
    namespaceId: doc.namespaceId,
    collectionId: doc.collectionId,
    documentId: doc.documentId,
    payload: doc.payload as Record<string, unknown>,
    vectors: doc.vectors.map(({ featureUri, dimensions, metric }) => ({ featureUri, dimensions, metric })),
  };
  return encodeFrame(COLD_MAGIC, COLD_VERSION, header, floats);
}

/** The document, or what is wrong with the bytes (never a partly decoded document). */
export function decodeColdDocument(bytes: Uint8Array): ColdDocument | string {
  const decoded = decodeFrame(bytes, COLD_MAGIC, [COLD_VERSION]);
  if (!decoded.ok) return decoded.problem;
  const header = decoded.frame.header as ColdHeader;
  const floats = decoded.frame.floats;
  const vectors: ColdVector[] = [];
  let at = 0;
  for (const v of header.vectors ?? []) {
    if (!Number.isInteger(v.dimensions) || v.dimensions < 1 || !METRICS.includes(v.metric)) {
      return "bad vector descriptor";
    }
    vectors.push({ ...v, vector: floats.slice(at, at + v.dimensions) });
    at += v.dimensions;
  }
  if (at !== floats.length) return "vector lengths do not add up";
  return {
    namespaceId: header.namespaceId,
    collectionId: header.collectionId,
    documentId: header.documentId,
    payload: header.payload ?? {},
    vectors,
  };
}
