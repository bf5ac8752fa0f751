import { describe, expect, it } from "vitest";
import { murmur3, murmur3Bytes } from "./murmur3.js";

// Published MurmurHash3_x86_32 reference values; if these move, every stored v1 vector is stale.
describe("murmur3", () => {
  it.each([
    ["", 0, 0x00000000],
    ["", 1, 0x514e28b7],
    ["", 0xffffffff, 0x81f16f39],
    ["a", 0, 0x3c2569b2],
    ["abc", 0, 0xb3dd93fa],
    ["Hello, world!", 1234, 0xfaf6cdb3],
    ["a", 0x9747b28c, 0x7fa09ea6],
    ["aa", 0x9747b28c, 0x5d211726],
    ["aaa", 0x9747b28c, 0x283e0130],
    ["aaaa", 0x9747b28c, 0x5a97808a],
    ["The quick brown fox jumps over the lazy dog", 0, 0x2e4ff723],
  ])("hashes %j with seed %d to the reference value", (text, seed, expected) => {
    expect(murmur3(text, seed)).toBe(expected);
  });

  it("hashes UTF-8 bytes, not UTF-16 code units", () => {
    // "é" is 1 UTF-16 code unit but 2 UTF-8 bytes; "😀" is 2 code units but 4 bytes.
    expect(murmur3("é")).toBe(murmur3Bytes(Uint8Array.of(0xc3, 0xa9)));
    expect(murmur3("😀")).toBe(murmur3Bytes(Uint8Array.of(0xf0, 0x9f, 0x98, 0x80)));
    expect(murmur3("é")).not.toBe(murmur3Bytes(Uint8Array.of(0xe9, 0x00)));
  });
});
