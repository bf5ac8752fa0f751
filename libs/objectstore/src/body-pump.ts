import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import { err, ok, type Result } from "@strata/errors";

export interface BodyDigest {
  readonly size: number;
  /** Lowercase hex. */
  readonly sha256: string;
}

/** Where a body's bytes go while it streams in (a temp file, a spool). */
export type ChunkSink = (chunk: Uint8Array) => Promise<void>;

/**
 * Streams `body` into `sink`, hashing and counting as it goes, and stops at the first chunk that
 * would pass `maxBytes` (leaving the loop destroys a Readable: its remainder will never be read).
 * A chunk is checked before it is written, so the sink never holds more than `maxBytes`.
 */
export async function pumpBody(
  body: Readable | Uint8Array,
  maxBytes: number,
  sink: ChunkSink,
): Promise<Result<BodyDigest, "too_large">> {
  const hash = createHash("sha256");
  let size = 0;
  const chunks: AsyncIterable<unknown> | Iterable<unknown> = body instanceof Uint8Array ? [body] : body;
  for await (const raw of chunks) {
    const chunk = toBytes(raw);
    if (size + chunk.byteLength > maxBytes) return err("too_large");
    size += chunk.byteLength;
    hash.update(chunk);
    if (chunk.byteLength > 0) await sink(chunk);
  }
  return ok({ size, sha256: hash.digest("hex") });
}

function toBytes(raw: unknown): Uint8Array {
  if (raw instanceof Uint8Array) return raw;
  if (typeof raw === "string") return Buffer.from(raw, "utf8");
  throw new Error("ObjectStore.put: the body stream must yield bytes or strings");
}
