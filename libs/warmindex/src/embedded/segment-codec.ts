import { decodeFrame, encodeFrame } from "@strata/coldstore";
import type { DocRef, HotRecord, ScanTable } from "@strata/hotindex";
import { norm } from "@strata/hotindex";

/** A warm segment object: one upsert's records or one delete's tombstones, immutable once written. */
const MAGIC = "SWSG";
const VERSION = 1;

interface SegmentHeader {
  readonly dimensions: number;
  readonly ids: string[];
  readonly collections: string[];
  readonly payloads: Record<string, unknown>[];
  /** [collectionId, id] pairs this segment deletes from older segments. */
  readonly tombstones: [string, string][];
}

/** A segment decoded into scan-ready arrays (one float chunk; slot = record position). */
export class DecodedSegment implements ScanTable {
  readonly norms: Float64Array;

  constructor(
    readonly dimensions: number,
    readonly ids: readonly string[],
    readonly collections: readonly string[],
    readonly payloads: readonly Readonly<Record<string, unknown>>[],
    readonly vectors: Float32Array,
    readonly tombstones: readonly DocRef[],
    /** Bytes it holds in memory, roughly (what the cache budget counts). */
    readonly memoryBytes: number,
  ) {
    this.norms = new Float64Array(ids.length);
    for (let slot = 0; slot < ids.length; slot++) this.norms[slot] = norm(this.vector(slot));
  }

  get count(): number {
    return this.ids.length;
  }

  chunkOf(_slot: number): Float32Array {
    return this.vectors;
  }

  offsetOf(slot: number): number {
    return slot * this.dimensions;
  }

  normOf(slot: number): number {
    return this.norms[slot] ?? 0;
  }

  vector(slot: number): Float32Array {
    return this.vectors.subarray(slot * this.dimensions, (slot + 1) * this.dimensions);
  }
}

/** The segment's bytes, and the same segment decoded (the writer caches it without re-reading). */
export function encodeSegment(
  dimensions: number,
  records: readonly HotRecord[],
  tombstones: readonly DocRef[],
): { bytes: Buffer; segment: DecodedSegment } {
  const vectors = new Float32Array(records.length * dimensions);
  records.forEach((r, i) => {
    vectors.set(r.vector, i * dimensions);
  });
  const header: SegmentHeader = {
    dimensions,
    ids: records.map((r) => r.id),
    collections: records.map((r) => r.collectionId),
    payloads: records.map((r) => r.payload as Record<string, unknown>),
    tombstones: tombstones.map((t) => [t.collectionId, t.id]),
  };
  const bytes = encodeFrame(MAGIC, VERSION, header, vectors);
  const segment = new DecodedSegment(
    dimensions,
    header.ids,
    header.collections,
    header.payloads,
    vectors,
    tombstones,
    memoryBytesOf(bytes.byteLength, vectors.byteLength, records.length),
  );
  return { bytes, segment };
}

export function decodeSegment(bytes: Uint8Array): DecodedSegment | string {
  const decoded = decodeFrame(bytes, MAGIC, [VERSION]);
  if (!decoded.ok) return decoded.problem;
  const header = decoded.frame.header as SegmentHeader;
  const { dimensions, ids, collections, payloads, tombstones } = header;
  if (!Array.isArray(ids) || decoded.frame.floats.length !== ids.length * dimensions) {
    return "record count does not match the vectors";
  }
  return new DecodedSegment(
    dimensions,
    ids,
    collections,
    payloads,
    decoded.frame.floats,
    tombstones.map(([collectionId, id]) => ({ collectionId, id })),
    memoryBytesOf(bytes.byteLength, decoded.frame.floats.byteLength, ids.length),
  );
}

/** Vectors, norms, and the JSON-decoded strings and payloads (about twice their UTF-8 size). */
function memoryBytesOf(encodedBytes: number, vectorBytes: number, count: number): number {
  return vectorBytes + count * 8 + 2 * (encodedBytes - vectorBytes);
}
