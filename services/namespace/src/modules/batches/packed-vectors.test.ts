import { describe, expect, it } from "vitest";
import { floatsFromBytes, packFloat32, unpackFloat32 } from "./packed-vectors.js";

describe("packed vectors", () => {
  it("round-trips float32 values through base64", () => {
    const values = [0.5, -1.25, 3, 1e-7, 65504];
    expect(Array.from(unpackFloat32(packFloat32(values)))).toEqual(Array.from(Float32Array.from(values)));
    expect(Array.from(unpackFloat32(packFloat32(Float32Array.of(1, 2))))).toEqual([1, 2]);
  });

  it("packs a value beyond float32 range as Infinity and keeps NaN, for the item check to refuse", () => {
    const [big, nan] = unpackFloat32(packFloat32([1e39, Number.NaN]));
    expect(big).toBe(Number.POSITIVE_INFINITY);
    expect(nan).toBeNaN();
  });

  it("reads little-endian bytes at any offset, and a ragged length as a NaN vector", () => {
    const bytes = new Uint8Array(9);
    new DataView(bytes.buffer).setFloat32(1, 2.5, true);
    new DataView(bytes.buffer).setFloat32(5, -4, true);
    expect(Array.from(floatsFromBytes(bytes.subarray(1)))).toEqual([2.5, -4]);
    const ragged = floatsFromBytes(new Uint8Array(6));
    expect(ragged).toHaveLength(1);
    expect(ragged[0]).toBeNaN();
  });
});
