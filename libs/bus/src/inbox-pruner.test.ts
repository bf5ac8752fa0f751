import { type DocStore, openSqliteDocStore } from "@strata/docstore";
import { ok } from "@strata/errors";
import { EVENTS_STREAM } from "@strata/events";
import { type NatsServerHandle, startNatsServer, type TempDir, tempDir } from "@strata/testkit";
import type { NatsConnection } from "nats";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { connectNats } from "./connect.js";
import { INBOX_TABLE, INBOX_TABLE_SPEC, type InboxRecord, processOnce } from "./inbox.js";
import { eventStreamMaxAgeMs, type InboxPruner, startInboxPruner } from "./inbox-pruner.js";
import { ensureEventStream } from "./streams.js";
import { recordingLogger, sleep, waitFor } from "./test-support.js";

const DAY_MS = 24 * 60 * 60 * 1000;

describe("inbox pruner", () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let dir: TempDir;
  let store: DocStore;
  const pruners: InboxPruner[] = [];

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectNats({ servers: server.url, name: "inbox-pruner-test" });
  });
  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });
  beforeEach(async () => {
    dir = await tempDir("bus-inbox-pruner");
    store = await openSqliteDocStore({ path: `${dir.path}/store.db` });
    await store.ensureTable(INBOX_TABLE_SPEC);
  });
  afterEach(async () => {
    await Promise.all(pruners.splice(0).map((p) => p.stop()));
    await store.close();
    await dir.remove();
  });

  const mark = (eventId: string) => processOnce(store, "tier", eventId, async () => ok("done"));
  const remaining = async () =>
    (await store.table<InboxRecord>(INBOX_TABLE).find()).map((row) => row.record.event_id).sort();

  it("reads the retention from the event stream's max age, as the operator set it", async () => {
    await ensureEventStream(nc, { maxAgeMs: 3 * DAY_MS });
    expect(await eventStreamMaxAgeMs(nc)).toBe(3 * DAY_MS);
    const jsm = await nc.jetstreamManager();
    const info = await jsm.streams.info(EVENTS_STREAM);
    await jsm.streams.update(EVENTS_STREAM, { ...info.config, max_age: 0 });
    expect(await eventStreamMaxAgeMs(nc)).toBeUndefined();
  });

  it("removes, on its timer, the rows older than the retention and keeps the others", async () => {
    await mark("evt_old");
    await sleep(60);
    const between = Date.now();
    await sleep(60);
    await mark("evt_new");
    const logger = recordingLogger();
    // The retention ends between the two marks whenever the timer fires: a loaded machine that runs
    // the pruner late must not make the newer row old enough to go too.
    const retentionMs = async () => Date.now() - between;
    pruners.push(startInboxPruner({ store, logger, retentionMs, intervalMs: 50 }));
    await waitFor(async () => (await remaining()).length === 1);
    expect(await remaining()).toEqual(["evt_new"]);
    expect(logger.lines.some((line) => line.msg === "pruned the event inbox")).toBe(true);
    // The kept row still stops a redelivery.
    expect(await mark("evt_new")).toEqual(ok("duplicate"));
  });

  it("prunes nothing while the stream keeps events forever", async () => {
    await mark("evt_1");
    await sleep(20);
    const pruner = startInboxPruner({ store, logger: recordingLogger(), retentionMs: async () => undefined });
    pruners.push(pruner);
    expect(await pruner.runOnce()).toBe(0);
    expect(await remaining()).toEqual(["evt_1"]);
  });

  it("logs a failed run and tries again at the next interval", async () => {
    let calls = 0;
    const logger = recordingLogger();
    pruners.push(
      startInboxPruner({
        store,
        logger,
        intervalMs: 30,
        retentionMs: async () => {
          calls += 1;
          if (calls === 1) throw new Error("stream info unavailable");
          return 0;
        },
      }),
    );
    await mark("evt_1");
    await waitFor(async () => (await remaining()).length === 0);
    expect(logger.lines.some((line) => line.msg === "inbox pruning failed; next run later")).toBe(true);
  });
});
