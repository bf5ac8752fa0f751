import { describe, expect, it } from "vitest";
import { callerOf } from "../../shared/test-support.js";
import { deleteCollection } from "../collections/delete-collection.js";
import { deleteDocument } from "../documents/change-document.js";
import { purgeTierVectors } from "./purge.js";
import { tierWorld } from "./tier-test-support.js";

async function held(w: Awaited<ReturnType<typeof tierWorld>>, ids: readonly string[]) {
  const counts: Record<string, number> = {};
  for (const tier of ["hot", "warm", "cold"] as const) {
    const read = await w.t.ports.tiers[tier].read(w.collection, ids);
    if (!read.ok) throw new Error(read.error.message);
    counts[tier] = read.value.length;
  }
  return counts;
}

describe("removing documents outside hot", () => {
  it("a document delete removes its vectors from the tier that holds them", async () => {
    const w = await tierWorld(2);
    await w.move(["d0"], "warm");
    await w.move(["d1"], "cold");
    const admin = callerOf(w.t.organizationId);
    for (const id of ["d0", "d1"])
      expect((await deleteDocument(w.t.ports, admin, w.t.namespaceId, "items", id)).ok).toBe(true);
    expect(await held(w, ["d0", "d1"])).toEqual({ hot: 0, warm: 0, cold: 0 });
  });

  it("a collection delete removes its data in every tier", async () => {
    const w = await tierWorld(4);
    await w.move(["d0", "d1"], "warm");
    await w.move(["d2"], "cold");
    const deleted = await deleteCollection(w.t.ports, callerOf(w.t.organizationId), w.t.namespaceId, "items");
    expect(deleted.ok).toBe(true);
    expect(await held(w, ["d0", "d1", "d2", "d3"])).toEqual({ hot: 0, warm: 0, cold: 0 });
  });

  it("a namespace purge drops its warm and cold data", async () => {
    const w = await tierWorld(3);
    await w.move(["d0"], "warm");
    await w.move(["d1"], "cold");
    const purged = await purgeTierVectors(w.t.ports)(w.t.namespaceId);
    expect(purged.ok).toBe(true);
    expect(await held(w, ["d0", "d1", "d2"])).toEqual({ hot: 1, warm: 0, cold: 0 });
  });
});
