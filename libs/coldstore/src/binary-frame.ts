import { endianness } from "node:os";
import { crc32 } from "node:zlib";

/**
 * The checksummed container both the cold format and the warm segments use (docs/cold-format.md):
 *
 *   magic (4 ASCII bytes) | version u16 LE | reserved u16 (0) | header length u32 LE |
 *   header (UTF-8 JSON) | zero padding to a multiple of 4 | float count u32 LE |
 *   float32 LE × float count | CRC-32 (IEEE, zlib's) u32 LE of every byte before it
 *
 * The floats start 4-byte aligned, so a reader on a little-endian machine copies them in one go.
 */
export interface Frame {
  readonly version: number;
  readonly header: unknown;
  readonly floats: Float32Array;
}

const LITTLE_ENDIAN = endianness() === "LE";

export function encodeFrame(magic: string, version: number, header: unknown, floats: Float32Array): Buffer {
  const json = Buffer.from(JSON.stringify(header), "utf8");
  const headerEnd = 12 + json.byteLength;
  const floatsAt = align4(headerEnd) + 4;
  const total = floatsAt + floats.byteLength + 4;
  const out = Buffer.alloc(total);
  out.write(magic, 0, 4, "latin1");
  out.writeUInt16LE(version, 4);
  out.writeUInt32LE(json.byteLength, 8);
  json.copy(out, 12);
  out.writeUInt32LE(floats.length, floatsAt - 4);
  if (LITTLE_ENDIAN) {
    out.set(new Uint8Array(floats.buffer, floats.byteOffset, floats.byteLength), floatsAt);
  } else {
    for (let i = 0; i < floats.length; i++) out.writeFloatLE(floats[i] as number, floatsAt + i * 4);
  }
  out.writeUInt32LE(crc32(out.subarray(0, total - 4)), total - 4);
  return out;
}

/** The frame, or why the bytes are not one (wrong magic, unknown version, truncated, bad checksum). */
export function decodeFrame(
  bytes: Uint8Array,
  magic: string,
  versions: readonly number[],
): { ok: true; frame: Frame } | { ok: false; problem: string } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.byteLength < 20) return { ok: false, problem: "truncated" };
  if (buf.toString("latin1", 0, 4) !== magic) return { ok: false, problem: "wrong magic" };
  const stored = buf.readUInt32LE(buf.byteLength - 4);
  if (crc32(buf.subarray(0, buf.byteLength - 4)) !== stored)
    return { ok: false, problem: "checksum mismatch" };
  const version = buf.readUInt16LE(4);
  if (!versions.includes(version)) return { ok: false, problem: `unsupported version ${version}` };
  const headerLength = buf.readUInt32LE(8);
  const floatsAt = align4(12 + headerLength) + 4;
  if (floatsAt > buf.byteLength - 4) return { ok: false, problem: "truncated" };
  const count = buf.readUInt32LE(floatsAt - 4);
  if (floatsAt + count * 4 !== buf.byteLength - 4) return { ok: false, problem: "length mismatch" };
  let header: unknown;
  try {
    header = JSON.parse(buf.toString("utf8", 12, 12 + headerLength));
  } catch {
    return { ok: false, problem: "header is not JSON" };
  }
  const floats = new Float32Array(count);
  if (LITTLE_ENDIAN) {
    new Uint8Array(floats.buffer).set(buf.subarray(floatsAt, floatsAt + count * 4));
  } else {
    for (let i = 0; i < count; i++) floats[i] = buf.readFloatLE(floatsAt + i * 4);
  }
  return { ok: true, frame: { version, header, floats } };
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
