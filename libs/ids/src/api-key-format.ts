import { randomBytes } from "node:crypto";
import { base58 } from "@scure/base";

/**
 * API key secrets: `sk_live_` + base58(32 random bytes) + a 6-character base58 CRC-32 of the body.
 * The checksum lets the gateway reject typos and random strings without a lookup, and lets secret
 * scanners recognise a leaked key offline (GitHub's token format does the same).
 */
export const API_KEY_PREFIX = "sk_live_";
const SECRET_BYTES = 32;
const CHECKSUM_LENGTH = 6;
const BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const WELL_FORMED = /^sk_live_[1-9A-HJ-NP-Za-km-z]{40,60}$/;

export function generateApiKeySecret(): string {
  const body = base58.encode(randomBytes(SECRET_BYTES));
  return `${API_KEY_PREFIX}${body}${checksumOf(body)}`;
}

/** Shape and checksum only: a well-formed key may still be unknown, revoked or expired. */
export function isWellFormedApiKey(secret: string): boolean {
  if (!WELL_FORMED.test(secret)) return false;
  const rest = secret.slice(API_KEY_PREFIX.length);
  const body = rest.slice(0, -CHECKSUM_LENGTH);
  return checksumOf(body) === rest.slice(-CHECKSUM_LENGTH);
}

/** The part of a key that is safe to display: the prefix and the first four characters. */
export function apiKeyDisplayStart(secret: string): string {
  return secret.slice(0, API_KEY_PREFIX.length + 4);
}

function checksumOf(body: string): string {
  let value = crc32(Buffer.from(body, "utf8"));
  let out = "";
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = BASE58_ALPHABET[value % 58] + out;
    value = Math.floor(value / 58);
  }
  return out;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
