import type { Caller } from "@strata/access";
import { describe, expect, it } from "vitest";
import { decodeCaller, encodeCaller } from "./caller.js";

const caller = (keyId: string, extra: Partial<Caller> = {}): Caller => ({
  organizationId: "org_1",
  keyId,
  permissions: ["read"],
  namespaces: [],
  roles: ["analyst"],
  attributes: { department: "sales" },
  ...extra,
});

describe("caller metadata", () => {
  it("decodes what it encodes, one frozen object for the same bytes", () => {
    const original = caller("key_1", { principalId: "u1" });
    const value = encodeCaller(original);
    const first = decodeCaller(value);
    if (first === undefined) throw new Error("the caller did not decode");
    expect(first).toEqual(original);
    expect(decodeCaller(value)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.roles)).toBe(true);
    expect(Object.isFrozen(first.attributes)).toBe(true);
    // Shared between calls, so nothing may change it.
    expect(() => (first.roles as string[]).push("admin")).toThrow(TypeError);
    // Forwarded as it came.
    expect(encodeCaller(first)).toBe(value);
    const other = decodeCaller(encodeCaller(caller("key_2")));
    expect(other?.keyId).toBe("key_2");
    expect(other).not.toBe(first);
  });

  it("refuses bytes that are not a caller, every time", () => {
    const notACaller = Buffer.from(JSON.stringify({ keyId: "k" })).toString("base64url");
    expect(decodeCaller(notACaller)).toBeUndefined();
    expect(decodeCaller(notACaller)).toBeUndefined();
    expect(decodeCaller("%%%")).toBeUndefined();
    const wrongPermission = encodeCaller({ ...caller("k"), permissions: ["root" as never] });
    expect(decodeCaller(wrongPermission)).toBeUndefined();
  });

  it("decodes a caller with a large ACL filter anew each time, without keeping it", () => {
    const filter = {
      OR: Array.from({ length: 200 }, (_, i) => ({ field: "metadata.team", operator: "eq", value: `t${i}` })),
    };
    const large = caller("key_3", { principalId: "u3", visibility: { namespaceId: "ns_1", filter } });
    const value = encodeCaller(large);
    expect(value.length).toBeGreaterThan(4_096);
    const first = decodeCaller(value);
    expect(first).toEqual(large);
    expect(decodeCaller(value)).not.toBe(first);
    expect(Object.isFrozen(first)).toBe(false);
  });
});
