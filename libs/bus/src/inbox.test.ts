import { type DocStore, openSqliteDocStore } from "@strata/docstore";
import { err, ok } from "@strata/errors";
import { type TempDir, tempDir } from "@strata/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { INBOX_TABLE, INBOX_TABLE_SPEC, processOnce, pruneInbox } from "./inbox.js";

interface Counter {
  readonly id: string;
  readonly n: number;
}

describe("processOnce", () => {
  let dir: TempDir;
  let store: DocStore;
  beforeEach(async () => {
    dir = await tempDir("bus-inbox");
    store = await openSqliteDocStore({ path: `${dir.path}/store.db` });
    await store.ensureTable(INBOX_TABLE_SPEC);
    await store.ensureTable({ name: "counters" });
  });
  afterEach(async () => {
    await store.close();
    await dir.remove();
  });

  const bump = (id: string) => async (tx: Parameters<Parameters<DocStore["transaction"]>[0]>[0]) => {
    const table = tx.table<Counter>("counters");
    const current = await table.get(id);
    if (current === undefined) await table.insert({ id, n: 1 });
    else await table.replace({ id, n: current.record.n + 1 }, current.version);
    return ok("bumped" as const);
  };

  it("runs the work once per consumer and event id", async () => {
    expect(await processOnce(store, "tier", "evt_1", bump("c"))).toEqual(ok("bumped"));
    expect(await processOnce(store, "tier", "evt_1", bump("c"))).toEqual(ok("duplicate"));
    // Another consumer (or another event) is independent.
    expect(await processOnce(store, "webhooks", "evt_1", bump("c"))).toEqual(ok("bumped"));
    expect(await processOnce(store, "tier", "evt_2", bump("c"))).toEqual(ok("bumped"));
    expect((await store.table<Counter>("counters").get("c"))?.record.n).toBe(3);
  });

  it("records nothing when the work fails, so a redelivery runs it again", async () => {
    const failed = await processOnce(store, "tier", "evt_1", async (tx) => {
      await tx.table<Counter>("counters").insert({ id: "c", n: 100 });
      return err("unavailable" as const);
    });
    expect(failed).toEqual(err("unavailable"));
    expect(await store.table(INBOX_TABLE).count()).toBe(0);
    expect(await store.table("counters").get("c")).toBeUndefined();
    expect(await processOnce(store, "tier", "evt_1", bump("c"))).toEqual(ok("bumped"));
  });

  it("concurrent deliveries of one event do the work once", async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () => processOnce(store, "tier", "evt_9", bump("c"))),
    );
    expect(results.filter((r) => r.ok && r.value === "bumped")).toHaveLength(1);
    expect(results.filter((r) => r.ok && r.value === "duplicate")).toHaveLength(4);
    expect((await store.table<Counter>("counters").get("c"))?.record.n).toBe(1);
  });

  it("pruneInbox removes old rows only", async () => {
    await processOnce(store, "tier", "evt_old", bump("c"));
    await new Promise((r) => setTimeout(r, 30));
    // The cutoff falls between the two rows however slowly the machine runs.
    const between = Date.now() - 15;
    await processOnce(store, "tier", "evt_new", bump("c"));
    const removed = await pruneInbox(store, 0, between);
    expect(removed).toBe(1);
    expect(await processOnce(store, "tier", "evt_new", bump("c"))).toEqual(ok("duplicate"));
  });
});
