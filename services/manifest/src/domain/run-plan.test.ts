import { appError, err, ok } from "@strata/errors";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { Plan, PlannedChange } from "./plan.js";
import { type ActContext, type ResourceKind, runStepsDirectly, type Spec, type StepRunner } from "./ports.js";
import { runPlan } from "./run-plan.js";

// In-memory kinds whose calls yield to the event loop, so steps really overlap, and a log of when
// each call started and finished.
interface Probe {
  readonly log: string[];
  inFlight: number;
  maxInFlight: number;
  failing: Set<string>;
}

const newProbe = (): Probe => ({ log: [], inFlight: 0, maxInFlight: 0, failing: new Set() });

function kindOf(probe: Probe, section: string, order: number, selfReferencing = false): ResourceKind {
  const call = (operation: string) => async (_context: ActContext, name: string) => {
    probe.log.push(`start ${operation} ${section}/${name}`);
    probe.inFlight += 1;
    probe.maxInFlight = Math.max(probe.maxInFlight, probe.inFlight);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    probe.inFlight -= 1;
    probe.log.push(`end ${operation} ${section}/${name}`);
    return probe.failing.has(`${operation} ${section}/${name}`)
      ? err(appError("unavailable", "refused"))
      : ok(undefined);
  };
  return {
    section,
    order,
    schema: z.strictObject({ after: z.string().optional() }) as z.ZodType<Spec>,
    replaceReason: () => undefined,
    references: (spec) =>
      selfReferencing && typeof spec.after === "string"
        ? [{ section, name: spec.after, field: "after" }]
        : [],
    list: async () => ok([]),
    create: call("create"),
    update: call("update"),
    remove: call("delete"),
  };
}

const change = (
  kind: string,
  name: string,
  action: PlannedChange["action"],
  after: Spec = {},
): PlannedChange => ({
  kind,
  name,
  action,
  fields: [],
  before: action === "create" ? null : {},
  after: action === "delete" ? null : after,
  protect: false,
});

const planOf = (changes: PlannedChange[]): Plan => ({
  plan_hash: "",
  summary: { create: 0, update: 0, replace: 0, delete: 0, "no-op": 0 },
  changes,
});

const context = {} as ActContext;
const names = (count: number, prefix: string) => Array.from({ length: count }, (_, i) => `${prefix}${i}`);
const index = (log: string[], entry: string) => {
  const at = log.indexOf(entry);
  expect(at, entry).toBeGreaterThanOrEqual(0);
  return at;
};

describe("runPlan", () => {
  it("runs one kind's steps up to the limit at a time, and a kind only after the one before it", async () => {
    const probe = newProbe();
    const kinds = [kindOf(probe, "parents", 10), kindOf(probe, "children", 20)];
    const plan = planOf([
      ...names(20, "p").map((name) => change("parents", name, "create")),
      ...names(20, "c").map((name) => change("children", name, "create")),
    ]);
    const ran = await runPlan(
      { kinds, runStep: runStepsDirectly, stepConcurrency: 4, createBatchSize: 10 },
      context,
      plan,
      "apply",
    );
    expect(ran.failures).toEqual([]);
    expect(ran.done).toHaveLength(40);
    expect(probe.maxInFlight).toBe(4);
    const lastParentEnd = Math.max(...names(20, "p").map((n) => index(probe.log, `end create parents/${n}`)));
    const firstChildStart = Math.min(
      ...names(20, "c").map((n) => index(probe.log, `start create children/${n}`)),
    );
    expect(lastParentEnd).toBeLessThan(firstChildStart);
  });

  it("removes every replaced resource of a kind before creating any of them again", async () => {
    const probe = newProbe();
    const plan = planOf(names(6, "r").map((name) => change("things", name, "replace")));
    await runPlan(
      {
        kinds: [kindOf(probe, "things", 10)],
        runStep: runStepsDirectly,
        stepConcurrency: 3,
        createBatchSize: 10,
      },
      context,
      plan,
      "apply",
    );
    const lastDelete = Math.max(...names(6, "r").map((n) => index(probe.log, `end delete things/${n}`)));
    const firstCreate = Math.min(...names(6, "r").map((n) => index(probe.log, `start create things/${n}`)));
    expect(lastDelete).toBeLessThan(firstCreate);
  });

  it("starts nothing after an apply's first failure and waits for the steps under way", async () => {
    const probe = newProbe();
    probe.failing.add("create things/t5");
    const started: string[] = [];
    const recording: StepRunner = (step, run) => {
      started.push(step.name);
      return run();
    };
    const kinds = [kindOf(probe, "things", 10), kindOf(probe, "later", 20)];
    const plan = planOf([
      ...names(30, "t").map((name) => change("things", name, "create")),
      change("later", "l", "create"),
    ]);
    const ran = await runPlan(
      { kinds, runStep: recording, stepConcurrency: 4, createBatchSize: 10 },
      context,
      plan,
      "apply",
    );
    expect(ran.failures.map((f) => f.name)).toEqual(["t5"]);
    expect(started).not.toContain("l");
    expect(started.length).toBeLessThan(30);
    // Every step that started had finished when runPlan answered, and is reported.
    expect(probe.inFlight).toBe(0);
    expect(ran.done.length + ran.failures.length).toBe(started.length);
  });

  it("runs a kind whose resources name each other one at a time, in the plan's order", async () => {
    const probe = newProbe();
    const plan = planOf([
      change("stages", "a", "create"),
      change("stages", "b", "create", { after: "a" }),
      change("stages", "c", "create", { after: "b" }),
    ]);
    await runPlan(
      {
        kinds: [kindOf(probe, "stages", 10, true)],
        runStep: runStepsDirectly,
        stepConcurrency: 8,
        createBatchSize: 10,
      },
      context,
      plan,
      "apply",
    );
    expect(probe.maxInFlight).toBe(1);
    expect(probe.log.filter((line) => line.startsWith("start"))).toEqual([
      "start create stages/a",
      "start create stages/b",
      "start create stages/c",
    ]);
  });

  it("an undo goes on past a failure, and does not create again what it could not remove", async () => {
    const probe = newProbe();
    probe.failing.add("delete things/x");
    const plan = planOf([change("things", "x", "replace"), change("things", "y", "replace")]);
    const ran = await runPlan(
      {
        kinds: [kindOf(probe, "things", 10)],
        runStep: runStepsDirectly,
        stepConcurrency: 4,
        createBatchSize: 10,
      },
      context,
      plan,
      "undo",
    );
    expect(ran.failures.map((f) => `${f.operation} ${f.name}`)).toEqual(["delete x"]);
    expect(ran.done.map((d) => `${d.operation} ${d.name}`).sort()).toEqual(["create y", "delete y"]);
    expect(probe.log).not.toContain("start create things/x");
  });

  it("sends a kind's creates to createMany in chunks, each still its own step, a refused one left out", async () => {
    const probe = newProbe();
    const batches: string[][] = [];
    const kind: ResourceKind = {
      ...kindOf(probe, "things", 10),
      createMany: async (_context, resources) => {
        batches.push(resources.map((r) => r.name));
        return ok(
          resources.map((r) => (r.name === "t3" ? err(appError("already_exists", "taken")) : ok(undefined))),
        );
      },
    };
    const started: string[] = [];
    const refusing: StepRunner = (step, run) => {
      started.push(step.name);
      return step.name === "t7" ? Promise.resolve(err(appError("unavailable", "refused"))) : run();
    };
    const plan = planOf(names(12, "t").map((name) => change("things", name, "create")));
    const ran = await runPlan(
      { kinds: [kind], runStep: refusing, stepConcurrency: 2, createBatchSize: 5 },
      context,
      plan,
      "undo",
    );
    expect(started).toEqual(names(12, "t"));
    expect(batches).toEqual([
      ["t0", "t1", "t2", "t3", "t4"],
      ["t5", "t6", "t8", "t9"],
      ["t10", "t11"],
    ]);
    expect(ran.failures.map((f) => `${f.name}: ${f.error.message}`).sort()).toEqual([
      "t3: taken",
      "t7: refused",
    ]);
    expect(ran.done).toHaveLength(10);
    // Nothing went through the one-at-a-time create.
    expect(probe.log).toEqual([]);
  });
});
