import { describe, expect, it } from "vitest";
import { callerOf } from "../../shared/test-support.js";
import { updateDocument } from "../documents/change-document.js";
import type { Tier } from "../documents/tables.js";
import { reconcileMoves } from "./reconcile-moves.js";
import { tierWorld, VEC } from "./tier-test-support.js";

describe("copies a document leaves behind", () => {
  it.each<Tier>(["warm", "cold"])(
    "an update that lands a %s document hot removes its copy there",
    async (tier) => {
      const w = await tierWorld(2);
      await w.move(["d0", "d1"], tier);
      const updated = await updateDocument(
        w.t.ports,
        callerOf(w.t.organizationId),
        w.t.namespaceId,
        "items",
        "d0",
        { features: { [VEC]: [1, 0, 0, 0, 0, 0, 0, 0] } },
      );
      expect(updated.ok && updated.value.tier).toBe("hot");
      const left = await w.t.ports.tiers[tier === "warm" ? "warm" : "cold"].read(w.collection, ["d0", "d1"]);
      expect(left.ok && left.value.map((e) => e.documentId)).toEqual(["d1"]);
      expect((await w.featuresOf("d0"))[0]?.vector).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    },
  );

  it("a periodic reconcile leaves a journal younger than its cut-off alone, and finishes an older one", async () => {
    const w = await tierWorld(2);
    const ports = w.t.ports;
    const tiers = ports.tiers as { hot: typeof ports.tiers.hot };
    const hot = tiers.hot;
    // The source delete fails: the move is made, the journal stays with the hot copies to remove.
    tiers.hot = {
      ...hot,
      remove: async () => ({ ok: false, error: { kind: "unavailable", message: "down" } }) as never,
    };
    await w.move(["d0", "d1"], "warm");
    tiers.hot = hot;
    const at = ports.clock().getTime();
    const before = new Date(at - 60_000);
    expect(await reconcileMoves(ports, before)).toEqual({ ok: true, value: { journals: 0, removed: 0 } });
    const kept = await hot.read(w.collection, ["d0", "d1"]);
    expect(kept.ok && kept.value.length).toBe(2);
    expect(await reconcileMoves(ports, new Date(at + 1000))).toEqual({
      ok: true,
      value: { journals: 1, removed: 2 },
    });
    const gone = await hot.read(w.collection, ["d0", "d1"]);
    expect(gone.ok && gone.value.length).toBe(0);
    expect((await w.featuresOf("d1")).length).toBe(1);
  });
});
