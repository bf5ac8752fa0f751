import { describe, expect, it } from "vitest";
import {
  apiKeyDisplayStart,
  generateApiKeySecret,
  idFromSeed,
  idKindOf,
  isId,
  isWellFormedApiKey,
  newId,
} from "./index.js";

describe("ids", () => {
  it("prefixes ids by kind and recognises them", () => {
    const id = newId("namespace");
    expect(id).toMatch(/^ns_[1-9A-HJ-NP-Za-km-z]{16,32}$/);
    expect(isId("namespace", id)).toBe(true);
    expect(isId("collection", id)).toBe(false);
    expect(idKindOf(id)).toBe("namespace");
    expect(isId("namespace", "ns_0OIl")).toBe(false);
  });

  it("never repeats an id", () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newId("document")));
    expect(ids.size).toBe(10_000);
  });

  it("draws the same well-formed id from the same seed, and another from another seed or kind", () => {
    const id = idFromSeed("batch", "token-1");
    expect(isId("batch", id)).toBe(true);
    expect(idFromSeed("batch", "token-1")).toBe(id);
    expect(idFromSeed("batch", "token-2")).not.toBe(id);
    expect(idFromSeed("document", "token-1").slice(4)).not.toBe(id.slice(4));
  });
});

describe("API key format", () => {
  it("generates keys whose checksum verifies", () => {
    for (let i = 0; i < 200; i++) {
      const secret = generateApiKeySecret();
      expect(secret.startsWith("sk_live_")).toBe(true);
      expect(isWellFormedApiKey(secret)).toBe(true);
    }
  });

  it("rejects a key with one character changed", () => {
    const secret = generateApiKeySecret();
    const position = 12;
    const swapped = secret[position] === "a" ? "b" : "a";
    const tampered = secret.slice(0, position) + swapped + secret.slice(position + 1);
    expect(isWellFormedApiKey(tampered)).toBe(false);
  });

  it("rejects other shapes", () => {
    for (const bad of ["", "sk_live_", "sk_test_abc", "Bearer x", `sk_live_${"1".repeat(80)}`]) {
      expect(isWellFormedApiKey(bad)).toBe(false);
    }
  });

  it("shows only the prefix and four characters", () => {
    const secret = generateApiKeySecret();
    expect(apiKeyDisplayStart(secret)).toHaveLength("sk_live_".length + 4);
  });
});
