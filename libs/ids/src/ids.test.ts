import { describe, expect, it } from "vitest";
import {
  apiKeyDisplayStart,
  generateApiKeySecret,
  idFromSeed,
  idKindOf,
  isId,
  isWellFormedApiKey,
  newId,
  timeOrderedIdFromSeed,
  timeOrderedUuid,
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

describe("time-ordered ids", () => {
  // 2004-11-03 to 2039-09-07: the span over which the text sorts as the time does.
  const times = Array.from({ length: 2_000 }, () => 2 ** 40 + Math.floor(Math.random() * 2 ** 40));

  it("draws the same well-formed id from the same seed and time, another from another seed or time", () => {
    const id = timeOrderedIdFromSeed("webhookDelivery", "wh_1:evt_1", 1_764_900_000_000);
    expect(isId("webhookDelivery", id)).toBe(true);
    expect(timeOrderedIdFromSeed("webhookDelivery", "wh_1:evt_1", 1_764_900_000_000)).toBe(id);
    expect(timeOrderedIdFromSeed("webhookDelivery", "wh_1:evt_2", 1_764_900_000_000)).not.toBe(id);
    expect(timeOrderedIdFromSeed("webhookDelivery", "wh_1:evt_1", 1_764_900_000_001)).not.toBe(id);
    expect(timeOrderedIdFromSeed("webhookDelivery", "wh_1:evt_1", 1_764_900_000_000)).not.toBe(
      idFromSeed("webhookDelivery", "wh_1:evt_1"),
    );
  });

  it("sorts as text in the order of the times it was made for", () => {
    const ids = times.map((at, i) => ({ at, id: timeOrderedIdFromSeed("webhookDelivery", `seed-${i}`, at) }));
    const byTime = [...ids].sort((a, b) => a.at - b.at).map((x) => x.id);
    const byText = ids.map((x) => x.id).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(byText).toEqual(byTime);
  });

  it("makes RFC 9562 version 7 UUIDs that sort by time and never repeat", () => {
    const uuids = times.map((at) => ({ at, uuid: timeOrderedUuid(at) }));
    for (const { at, uuid } of uuids) {
      expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(Number.parseInt(uuid.replace(/-/g, "").slice(0, 12), 16)).toBe(at);
    }
    const byTime = [...uuids].sort((a, b) => a.at - b.at).map((x) => x.uuid);
    expect(uuids.map((x) => x.uuid).sort()).toEqual(byTime);
    const sameMillisecond = new Set(Array.from({ length: 10_000 }, () => timeOrderedUuid(1_764_900_000_000)));
    expect(sameMillisecond.size).toBe(10_000);
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
