import { createHash, randomFillSync } from "node:crypto";
import { base58 } from "@scure/base";

/** The one prefix table (DESIGN §6). Store-internal ids never leave a service. */
export const ID_PREFIXES = {
  organization: "org",
  apiKey: "key",
  namespace: "ns",
  bucket: "bkt",
  object: "obj",
  collection: "col",
  document: "doc",
  batch: "bat",
  retriever: "ret",
  taxonomy: "tax",
  webhook: "wh",
  webhookDelivery: "whd",
  sweepJob: "swp",
  alert: "alr",
  event: "evt",
  rule: "rul",
  task: "tsk",
  request: "req",
  manifestApply: "mfa",
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

// 16 random bytes in base58 is 21–22 characters.
const ID_BYTES = 16;
const BASE58_BODY = /^[1-9A-HJ-NP-Za-km-z]{16,32}$/;

export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${base58.encode(randomIdBytes())}`;
}

/**
 * An id of the usual shape drawn from `seed` instead of randomness: the same seed always gives the
 * same id. For a resource that must not be created twice for one request (ADR 0016); the seed must
 * be unguessable to others, as a random id would be.
 */
export function idFromSeed(kind: IdKind, seed: string): string {
  const digest = createHash("sha256").update(`strata/ids/v1|${kind}|${seed}`, "utf8").digest();
  return `${ID_PREFIXES[kind]}_${base58.encode(digest.subarray(0, ID_BYTES))}`;
}

/** Milliseconds since the epoch fit the first 6 bytes of an id until the year 10889. */
const TIME_BYTES = 6;

/**
 * idFromSeed for a resource whose time is part of what it is (an event's delivery): the first 6
 * of the 16 bytes are `atMs` (milliseconds since the epoch, big-endian), the other 10 the seed's
 * digest, which keeps it unguessable. Ids of one period then sort together: a B-tree keyed by them
 * takes each insert near its right edge instead of on a random page. (Base58 of 16 bytes led by a
 * time between 2004 and 2039 is always 21 characters, and its alphabet is in ASCII order, so the
 * text sorts as the bytes do.)
 */
export function timeOrderedIdFromSeed(kind: IdKind, seed: string, atMs: number): string {
  const digest = createHash("sha256").update(`strata/ids/v1-time|${kind}|${seed}`, "utf8").digest();
  const bytes = new Uint8Array(ID_BYTES);
  writeTime(bytes, atMs);
  bytes.set(digest.subarray(0, ID_BYTES - TIME_BYTES), TIME_BYTES);
  return `${ID_PREFIXES[kind]}_${base58.encode(bytes)}`;
}

/**
 * A UUID version 7 (RFC 9562): `atMs` in its first 48 bits, then random bits. For store-internal
 * rows written in time order (a delivery's attempt log), for the same reason as above.
 */
export function timeOrderedUuid(atMs: number): string {
  const bytes = randomIdBytes();
  writeTime(bytes, atMs);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70; // version 7
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // variant 10
  const hex = Buffer.from(bytes).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function writeTime(bytes: Uint8Array, atMs: number): void {
  const time = Number.isFinite(atMs) ? Math.min(Math.max(Math.trunc(atMs), 0), 2 ** 48 - 1) : 0;
  for (let i = TIME_BYTES - 1, rest = time; i >= 0; i--, rest = Math.floor(rest / 256)) bytes[i] = rest % 256;
}

// Ids are made on hot paths (every request gets one), and each small randomBytes() call costs
// ~10 µs here; drawing them from a pool refilled 4 KiB at a time costs a fraction of that. The pool
// is for ids only: API key secrets take fresh randomBytes (api-key-format.ts).
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let poolOffset = POOL_BYTES;

function randomIdBytes(): Uint8Array {
  if (poolOffset + ID_BYTES > POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  // A copy, so a later refill never changes an id already handed out.
  const bytes = Uint8Array.prototype.slice.call(pool, poolOffset, poolOffset + ID_BYTES);
  poolOffset += ID_BYTES;
  return bytes;
}

/** True when `value` has the shape of an id of this kind; says nothing of whether it exists. */
export function isId(kind: IdKind, value: string): boolean {
  const prefix = `${ID_PREFIXES[kind]}_`;
  return value.startsWith(prefix) && BASE58_BODY.test(value.slice(prefix.length));
}

export function idKindOf(value: string): IdKind | undefined {
  for (const kind of Object.keys(ID_PREFIXES) as IdKind[]) {
    if (isId(kind, value)) return kind;
  }
  return undefined;
}
