import type { FileHandle } from "node:fs/promises";

/**
 * One file per object: the body, then a JSON header, then a 12-byte footer (header length, magic).
 * Keeping the header inside the data file makes every write a single atomic rename, so a reader
 * never pairs one writer's body with another's metadata (a sidecar file could not promise that),
 * and `head`/`list` read only the tail, never the body.
 */
const MAGIC = Buffer.from("STRATAO1", "ascii");
const FOOTER_BYTES = 4 + MAGIC.length;
const MAX_HEADER_BYTES = 64 * 1024;

export interface StoredHeader {
  readonly size: number;
  readonly sha256: string;
  readonly contentType: string;
  readonly metadata: Readonly<Record<string, string>>;
}

export function encodeTrailer(header: StoredHeader): Buffer {
  const json = Buffer.from(JSON.stringify({ v: 1, ...header }), "utf8");
  const footer = Buffer.alloc(FOOTER_BYTES);
  footer.writeUInt32BE(json.length, 0);
  MAGIC.copy(footer, 4);
  return Buffer.concat([json, footer]);
}

export interface ObjectFileInfo {
  readonly header: StoredHeader;
  readonly mtime: Date;
}

/** Reads the header of an open object file; a malformed file is corruption and throws. */
export async function readTrailer(handle: FileHandle, path: string): Promise<ObjectFileInfo> {
  const corrupt = (why: string): never => {
    throw new Error(`Corrupt object file ${path}: ${why}`);
  };
  const stat = await handle.stat();
  if (stat.size < FOOTER_BYTES) corrupt("shorter than its footer");
  const footer = await readExactly(handle, stat.size - FOOTER_BYTES, FOOTER_BYTES);
  if (!footer.subarray(4).equals(MAGIC)) corrupt("bad magic");
  const headerBytes = footer.readUInt32BE(0);
  if (headerBytes > MAX_HEADER_BYTES || headerBytes > stat.size - FOOTER_BYTES) corrupt("bad header length");
  const bodySize = stat.size - FOOTER_BYTES - headerBytes;
  const json = await readExactly(handle, bodySize, headerBytes);
  const header = parseHeader(json.toString("utf8"));
  if (header === undefined) return corrupt("bad header");
  if (header.size !== bodySize) corrupt("header size does not match the body");
  return { header, mtime: stat.mtime };
}

export async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.byteLength) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.byteLength - offset);
    offset += bytesWritten;
  }
}

async function readExactly(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let offset = 0;
  while (offset < length) {
    const { bytesRead } = await handle.read(buffer, offset, length - offset, position + offset);
    if (bytesRead === 0) throw new Error("Object file shrank while being read");
    offset += bytesRead;
  }
  return buffer;
}

function parseHeader(text: string): StoredHeader | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const { size, sha256, contentType, metadata } = value as Record<string, unknown>;
  if (typeof size !== "number" || typeof sha256 !== "string" || typeof contentType !== "string") {
    return undefined;
  }
  if (typeof metadata !== "object" || metadata === null) return undefined;
  const entries = Object.entries(metadata);
  if (!entries.every(([, v]) => typeof v === "string")) return undefined;
  return { size, sha256, contentType, metadata: Object.fromEntries(entries) as Record<string, string> };
}
