import { describe, expect, it } from "vitest";
import {
  assertKeyPrefix,
  assertObjectKey,
  checkObjectMetadata,
  decodeListCursor,
  encodeListCursor,
  isValidObjectKey,
  normalizePutOptions,
} from "./keys.js";

describe("object keys", () => {
  it("accepts id-style paths and the safe character set", () => {
    for (const key of ["ns_4Ab/bkt_9z/obj_Q1", "a", "a.b-c_d/E.F", ".hidden/x", `${"s".repeat(250)}/y`]) {
      expect(isValidObjectKey(key), key).toBe(true);
    }
  });

  it("rejects traversal, absolute paths, odd characters and oversize keys", () => {
    const bad = [
      "",
      "/a",
      "a/",
      "a//b",
      "..",
      "a/..",
      "a..b",
      "./a",
      "a/./b",
      "a b",
      "a\u0000",
      "a~o",
      "é",
      "a%2F",
    ];
    for (const key of [...bad, "s".repeat(251), `${"ab/".repeat(341)}abcd`]) {
      expect(isValidObjectKey(key), key).toBe(false);
      expect(() => assertObjectKey(key)).toThrow(/Invalid object key/);
    }
  });

  it("accepts prefixes that end mid-segment or with a slash, and only those", () => {
    for (const prefix of ["", "ns_1/", "ns_1/bk", "ns_1/bkt_2/"]) {
      expect(() => assertKeyPrefix(prefix, { allowEmpty: true }), prefix).not.toThrow();
    }
    for (const prefix of ["/", "a//", "../", "a/..", "a b", "./x"]) {
      expect(() => assertKeyPrefix(prefix, { allowEmpty: true }), prefix).toThrow(
        /Invalid object key prefix/,
      );
    }
    expect(() => assertKeyPrefix("", { allowEmpty: false })).toThrow(/empty/);
  });
});

describe("metadata and options", () => {
  it("checks metadata keys, the reserved prefix and the size budget", () => {
    expect(checkObjectMetadata({ "file-name": "ü.txt", a1: "" })).toBeUndefined();
    expect(checkObjectMetadata({ "File-Name": "x" })).toMatch(/must match/);
    expect(checkObjectMetadata({ "strata-sha256": "x" })).toMatch(/reserved/);
    expect(checkObjectMetadata({ big: "x".repeat(1600) })).toMatch(/larger/);
  });

  it("fills defaults and rejects bad options as bugs", () => {
    expect(normalizePutOptions("k", undefined)).toEqual({
      contentType: "application/octet-stream",
      metadata: {},
      maxBytes: Number.POSITIVE_INFINITY,
      expectedSha256: undefined,
    });
    expect(normalizePutOptions("k", { expectedSha256: "ABCD" }).expectedSha256).toBe("abcd");
    expect(() => normalizePutOptions("k", { maxBytes: -1 })).toThrow(/maxBytes/);
    expect(() => normalizePutOptions("k", { maxBytes: 1.5 })).toThrow(/maxBytes/);
    expect(() => normalizePutOptions("k", { contentType: "text/plain\r\nx: y" })).toThrow(/content type/);
  });
});

describe("list cursors", () => {
  it("round-trip the last key and decode garbage to a harmless bound", () => {
    expect(decodeListCursor(encodeListCursor("ns_1/obj_2"))).toBe("ns_1/obj_2");
    expect(decodeListCursor(undefined)).toBe("");
    expect(typeof decodeListCursor("!!not base64!!")).toBe("string");
  });
});
