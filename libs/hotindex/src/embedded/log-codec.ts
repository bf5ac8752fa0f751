import type { DocRef, HotRecord } from "../port.js";

/** What one log frame says; applying frames in order rebuilds a space exactly. */
export type LogEntry =
  | { readonly op: "upsert"; readonly records: readonly DecodedRecord[] }
  | { readonly op: "delete"; readonly refs: readonly DocRef[] }
  | { readonly op: "delete_collection"; readonly collectionId: string }
  /** Durable but not visible: a commit applies the records, an abort drops them (ADR 0013). */
  | { readonly op: "stage"; readonly writeId: string; readonly records: readonly DecodedRecord[] }
  /** `only` absent: every staged record; else just these. */
  | { readonly op: "commit"; readonly writeId: string; readonly only?: readonly DocRef[] }
  | { readonly op: "abort"; readonly writeId: string };

export interface DecodedRecord {
  readonly id: string;
  readonly collectionId: string;
  readonly payload: Record<string, unknown>;
  /** float32 little-endian bytes (a view into the frame). */
  readonly vectorBytes: Uint8Array;
}

const UPSERT = 1;
const DELETE = 2;
const DELETE_COLLECTION = 3;
const STAGE = 4;
const COMMIT = 5;
const ABORT = 6;

/** `u8 op=1 | u32 count | count × (u32 metaLength | meta JSON | dimensions × f32)`. */
export function encodeUpsert(records: readonly HotRecord[], dimensions: number): Buffer {
  const metas = records.map((r) =>
    Buffer.from(JSON.stringify({ i: r.id, c: r.collectionId, p: r.payload }), "utf8"),
  );
  const total = 5 + metas.reduce((n, m) => n + 4 + m.length + dimensions * 4, 0);
  const out = Buffer.allocUnsafe(total);
  out.writeUInt8(UPSERT, 0);
  out.writeUInt32LE(records.length, 1);
  let offset = 5;
  records.forEach((r, i) => {
    const meta = metas[i] ?? Buffer.alloc(0);
    out.writeUInt32LE(meta.length, offset);
    offset += 4;
    meta.copy(out, offset);
    offset += meta.length;
    const floats = r.vector instanceof Float32Array ? r.vector : Float32Array.from(r.vector);
    out.set(new Uint8Array(floats.buffer, floats.byteOffset, dimensions * 4), offset);
    offset += dimensions * 4;
  });
  return out;
}

export function encodeDelete(refs: readonly DocRef[]): Buffer {
  return tagged(DELETE, JSON.stringify(refs.map((r) => [r.collectionId, r.id])));
}

export function encodeDeleteCollection(collectionId: string): Buffer {
  return tagged(DELETE_COLLECTION, JSON.stringify(collectionId));
}

/** `u8 op=4 | u32 idLength | write id | the upsert frame of the records`. */
export function encodeStage(writeId: string, records: readonly HotRecord[], dimensions: number): Buffer {
  const id = Buffer.from(writeId, "utf8");
  const head = Buffer.allocUnsafe(5);
  head.writeUInt8(STAGE, 0);
  head.writeUInt32LE(id.length, 1);
  return Buffer.concat([head, id, encodeUpsert(records, dimensions)]);
}

export function encodeCommit(writeId: string, only?: readonly DocRef[]): Buffer {
  const refs = only === undefined ? undefined : only.map((r) => [r.collectionId, r.id]);
  return tagged(COMMIT, JSON.stringify(refs === undefined ? { w: writeId } : { w: writeId, o: refs }));
}

export function encodeAbort(writeId: string): Buffer {
  return tagged(ABORT, JSON.stringify({ w: writeId }));
}

export function decodeEntry(body: Buffer, dimensions: number): LogEntry {
  const op = body.readUInt8(0);
  if (op === STAGE) {
    const idLength = body.readUInt32LE(1);
    const writeId = body.toString("utf8", 5, 5 + idLength);
    const upsert = decodeEntry(body.subarray(5 + idLength), dimensions);
    if (upsert.op !== "upsert") throw new Error("a staged write must hold an upsert");
    return { op: "stage", writeId, records: upsert.records };
  }
  if (op === UPSERT) {
    const count = body.readUInt32LE(1);
    const records: DecodedRecord[] = [];
    let offset = 5;
    for (let n = 0; n < count; n++) {
      const metaLength = body.readUInt32LE(offset);
      offset += 4;
      const meta = JSON.parse(body.toString("utf8", offset, offset + metaLength)) as {
        i: string;
        c: string;
        p: Record<string, unknown>;
      };
      offset += metaLength;
      const vectorBytes = body.subarray(offset, offset + dimensions * 4);
      offset += dimensions * 4;
      records.push({ id: meta.i, collectionId: meta.c, payload: meta.p, vectorBytes });
    }
    return { op: "upsert", records };
  }
  const json: unknown = JSON.parse(body.toString("utf8", 1));
  if (op === DELETE) {
    const pairs = json as [string, string][];
    return { op: "delete", refs: pairs.map(([collectionId, id]) => ({ collectionId, id })) };
  }
  if (op === DELETE_COLLECTION) return { op: "delete_collection", collectionId: json as string };
  if (op === COMMIT) {
    const { w, o } = json as { w: string; o?: [string, string][] };
    const only = o?.map(([collectionId, id]) => ({ collectionId, id }));
    return only === undefined ? { op: "commit", writeId: w } : { op: "commit", writeId: w, only };
  }
  if (op === ABORT) return { op: "abort", writeId: (json as { w: string }).w };
  throw new Error(`unknown log op ${op}`);
}

function tagged(op: number, json: string): Buffer {
  const text = Buffer.from(json, "utf8");
  const out = Buffer.allocUnsafe(1 + text.length);
  out.writeUInt8(op, 0);
  text.copy(out, 1);
  return out;
}
