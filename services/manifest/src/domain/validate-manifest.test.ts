import { ok } from "@strata/errors";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { ParsedDocument, ResourceKind, Spec } from "./ports.js";
import { secretReference } from "./secrets.js";
import { validateManifest } from "./validate-manifest.js";

// A kind whose resources name others of the same kind (e.g. a pipeline stage after another):
// the only way a cycle can form, since kinds are otherwise ordered.
const stages: ResourceKind = {
  section: "stages",
  order: 1,
  schema: z.strictObject({ after: z.array(z.string()).default([]) }) as z.ZodType<Spec>,
  replaceReason: () => undefined,
  references: (spec) =>
    (spec.after as string[]).map((name, index) => ({ section: "stages", name, field: `after[${index}]` })),
  list: async () => ok([]),
  create: async () => ok(undefined),
  update: async () => ok(undefined),
  remove: async () => ok(undefined),
};

const json = (value: unknown): ParsedDocument => ({ value, locate: () => undefined });

describe("validateManifest", () => {
  it("reports a dependency cycle with its path through the resources", () => {
    const result = validateManifest(
      json({
        version: "1.0",
        metadata: { name: "c" },
        stages: [
          { name: "a", after: ["c"] },
          { name: "b", after: ["a"] },
          { name: "c", after: ["b"] },
          { name: "d", after: ["a"] },
        ],
      }),
      [stages],
      {},
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]).toMatchObject({ location: "stages", type: "dependency_cycle" });
    expect(result.issues[0]?.message).toBe("dependency cycle: stages/a → stages/c → stages/b → stages/a");
  });

  it("accepts a chain without a cycle and fills the kind's defaults", () => {
    const result = validateManifest(
      json({ version: "1.0", metadata: { name: "c" }, stages: [{ name: "a" }, { name: "b", after: ["a"] }] }),
      [stages],
      {},
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.manifest.sections.get("stages")).toEqual([
      { name: "a", protect: false, spec: { after: [] } },
      { name: "b", protect: false, spec: { after: ["a"] } },
    ]);
  });

  it("resolves secret references from the secrets map and reports the missing ones", () => {
    const document = json({
      version: "1.0",
      metadata: { name: secretReference("NAME") },
      stages: [{ name: secretReference("STAGE") }],
    });
    const missing = validateManifest(document, [stages], { NAME: "resolved" });
    expect(missing.ok).toBe(false);
    if (!missing.ok)
      expect(missing.issues).toEqual([
        { location: "stages[0].name", type: "missing_secret", message: expect.stringContaining("'STAGE'") },
      ]);
    const resolved = validateManifest(document, [stages], { NAME: "resolved", STAGE: "s1" });
    expect(resolved.ok && resolved.manifest.name).toBe("resolved");
    expect(resolved.ok && resolved.manifest.sections.get("stages")?.[0]?.name).toBe("s1");
  });
});
