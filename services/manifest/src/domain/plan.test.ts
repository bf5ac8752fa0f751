import { ok } from "@strata/errors";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { planChanges, planText } from "./plan.js";
import type { ResourceKind, Spec } from "./ports.js";

// Two in-memory kinds: spaces (a `size` that cannot change in place) and watchers that name a space
// and must be taken out while it changes.
const noCalls = {
  list: async () => ok([]),
  create: async () => ok(undefined),
  update: async () => ok(undefined),
  remove: async () => ok(undefined),
};
const spaces: ResourceKind = {
  section: "spaces",
  order: 1,
  schema: z.strictObject({ size: z.number(), label: z.string() }) as z.ZodType<Spec>,
  replaceReason: (before, after) => (before.size === after.size ? undefined : "size is fixed at creation"),
  references: () => [],
  ...noCalls,
};
const watchers: ResourceKind = {
  section: "watchers",
  order: 2,
  schema: z.strictObject({ space: z.string() }) as z.ZodType<Spec>,
  replaceReason: () => undefined,
  references: (spec) => [{ section: "spaces", name: String(spec.space), field: "space" }],
  recreateWhen: (referenced) => referenced.action === "replace",
  ...noCalls,
};
const kinds = [spaces, watchers];

function plan(desired: { size: number; label: string }) {
  return planChanges({
    manifest: {
      name: "p",
      sections: new Map([
        ["spaces", [{ name: "s", protect: false, spec: desired }]],
        ["watchers", [{ name: "w", protect: false, spec: { space: "s" } }]],
      ]),
    },
    kinds,
    live: new Map([
      ["spaces", [{ name: "s", spec: { size: 1, label: "a" } }]],
      ["watchers", [{ name: "w", spec: { space: "s" } }]],
    ]),
    members: new Map(),
    prune: false,
  });
}

describe("planChanges", () => {
  it("updates in place when the kind can, and leaves the dependents alone", () => {
    const changes = plan({ size: 1, label: "b" }).changes;
    expect(changes.map((c) => `${c.action} ${c.kind}/${c.name}`)).toEqual([
      "update spaces/s",
      "no-op watchers/w",
    ]);
    expect(changes[0]?.reason).toBeUndefined();
  });

  it("replaces with the kind's reason, and takes a dependent out first and puts it back after", () => {
    const result = plan({ size: 2, label: "a" });
    expect(result.changes.map((c) => `${c.action} ${c.kind}/${c.name}`)).toEqual([
      "delete watchers/w",
      "replace spaces/s",
      "create watchers/w",
    ]);
    expect(result.changes[1]?.reason).toBe("size is fixed at creation");
    expect(result.changes[0]?.reason).toContain("spaces/s changes");
    const text = planText(result);
    expect(text).toContain(
      "-/+ spaces/s\n    replaced (deleted, then created again): size is fixed at creation\n    size: 1 → 2",
    );
    expect(text).toContain("- watchers/w\n    spaces/s changes");
  });
});
