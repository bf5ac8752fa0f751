/**
 * MurmurHash3 x86_32 over the UTF-8 bytes of a string.
 *
 * Written here rather than taken from a package so the bucket every token lands in can never move
 * under us: vectors stored under `strata://text-hash@v1/embedding` are only comparable with query
 * vectors computed by the very same function. Hashing UTF-8 bytes (not UTF-16 code units) keeps the
 * result identical to the reference C implementation and to any other language that re-implements
 * the extractor. `Math.imul` and `>>> 0` keep every step in exact 32-bit unsigned arithmetic, so the
 * value does not depend on the Node version or the platform.
 */
const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

const utf8 = new TextEncoder();

export function murmur3(text: string, seed = 0): number {
  return murmur3Bytes(utf8.encode(text), seed);
}

export function murmur3Bytes(bytes: Uint8Array, seed = 0): number {
  let h = seed >>> 0;
  const length = bytes.length;
  const blockEnd = length - (length % 4);

  for (let i = 0; i < blockEnd; i += 4) {
    let k =
      (bytes[i] ?? 0) |
      ((bytes[i + 1] ?? 0) << 8) |
      ((bytes[i + 2] ?? 0) << 16) |
      ((bytes[i + 3] ?? 0) << 24);
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }

  // Tail: the last 1–3 bytes, little-endian, mixed like a block but without the h-rotation.
  const tail = length & 3;
  if (tail > 0) {
    let k = 0;
    for (let j = tail - 1; j >= 0; j--) {
      k = (k << 8) | (bytes[blockEnd + j] ?? 0);
    }
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
  }

  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
