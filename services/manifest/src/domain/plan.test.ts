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

  it("deletes a pruned resource after a kept one moves off it, and a pruned dependent before its parent changes", () => {
    const pruning = (desired: { spaces: [string, number][]; watchers: [string, string][] }) =>
      planChanges({
        manifest: {
          name: "p",
          sections: new Map<string, { name: string; protect: boolean; spec: Spec }[]>([
            [
              "spaces",
              desired.spaces.map(([name, size]) => ({ name, protect: false, spec: { size, label: "a" } })),
            ],
            [
              "watchers",
              desired.watchers.map(([name, space]) => ({ name, protect: false, spec: { space } })),
            ],
          ]),
        },
        kinds,
        live: new Map([
          ["spaces", [{ name: "s1", spec: { size: 1, label: "a" } }]],
          [
            "watchers",
            [
              { name: "w", spec: { space: "s1" } },
              { name: "old", spec: { space: "s1" } },
            ],
          ],
        ]),
        members: new Map([
          ["spaces", new Map([["s1", false]])],
          ["watchers", new Map([["old", false]])],
        ]),
        prune: true,
      }).changes.map((c) => `${c.action} ${c.kind}/${c.name}`);
    // w moves to the new s2: s1 (whose deletion would take w along) goes last; the pruned watcher first.
    expect(pruning({ spaces: [["s2", 1]], watchers: [["w", "s2"]] })).toEqual([
      "delete watchers/old",
      "create spaces/s2",
      "update watchers/w",
      "delete spaces/s1",
    ]);
  });

  it("re-binds an updated dependent of a replaced resource, so what depends on it is taken out around the change", () => {
    // A replaced space, a watcher on it whose own label also changes, and a listener on the watcher
    // that must not exist while the watcher's space moves (acl-query's alerts on a retriever whose
    // collection is replaced).
    const labelledWatchers: ResourceKind = {
      ...watchers,
      schema: z.strictObject({ space: z.string(), label: z.string() }) as z.ZodType<Spec>,
      recreateWhen: undefined,
    };
    const listeners: ResourceKind = {
      section: "listeners",
      order: 3,
      schema: z.strictObject({ watcher: z.string() }) as z.ZodType<Spec>,
      replaceReason: () => undefined,
      references: (spec) => [{ section: "watchers", name: String(spec.watcher), field: "watcher" }],
      recreateWhen: (referenced) =>
        referenced.action === "replace" || referenced.fields.some((f) => f.field === "space"),
      ...noCalls,
    };
    const changes = planChanges({
      manifest: {
        name: "p",
        sections: new Map<string, { name: string; protect: boolean; spec: Spec }[]>([
          ["spaces", [{ name: "s", protect: false, spec: { size: 2, label: "a" } }]],
          ["watchers", [{ name: "w", protect: false, spec: { space: "s", label: "new" } }]],
          ["listeners", [{ name: "l", protect: false, spec: { watcher: "w" } }]],
        ]),
      },
      kinds: [spaces, labelledWatchers, listeners],
      live: new Map([
        ["spaces", [{ name: "s", spec: { size: 1, label: "a" } }]],
        ["watchers", [{ name: "w", spec: { space: "s", label: "old" } }]],
        ["listeners", [{ name: "l", spec: { watcher: "w" } }]],
      ]),
      members: new Map(),
      prune: false,
    }).changes;
    expect(changes.map((c) => `${c.action} ${c.kind}/${c.name}`)).toEqual([
      "delete listeners/l",
      "replace spaces/s",
      "update watchers/w",
      "create listeners/l",
    ]);
    expect(changes[2]?.fields).toEqual([
      { field: "label", before: "old", after: "new" },
      { field: "space", before: "s", after: "s", rebind: true },
    ]);
  });
});
