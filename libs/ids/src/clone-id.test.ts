import { describe, expect, it } from "vitest";
import { cloneIdOf, idFromSeed, isId, newId } from "./index.js";

describe("cloneIdOf", () => {
  const source = newId("collection");
  const clone = { namespaceId: newId("namespace") };

  it("gives the same well-formed id for the same clone and source record", () => {
    const id = cloneIdOf("collection", clone, source);
    expect(isId("collection", id)).toBe(true);
    expect(cloneIdOf("collection", { namespaceId: clone.namespaceId }, source)).toBe(id);
    // The seed is the one the namespace service's clone steps wrote ids with (ADR 0024).
    expect(id).toBe(idFromSeed("collection", `clone|${clone.namespaceId}|${source}`));
  });

  it("gives another id in another clone, for another record or another kind", () => {
    const id = cloneIdOf("collection", clone, source);
    expect(cloneIdOf("collection", { namespaceId: newId("namespace") }, source)).not.toBe(id);
    expect(cloneIdOf("collection", clone, newId("collection"))).not.toBe(id);
    expect(cloneIdOf("retriever", clone, source)).not.toBe(id);
    expect(id).not.toBe(source);
  });
});
