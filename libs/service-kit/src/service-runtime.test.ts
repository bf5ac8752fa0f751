import { connectNats, INBOX_TABLE, type InboxRecord } from "@strata/bus";
import { createLogger } from "@strata/logger";
import { type NatsServerHandle, startNatsServer, type TempDir, tempDir } from "@strata/testkit";
import type { NatsConnection } from "nats";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type ServiceRuntime, startServiceRuntime } from "./service-runtime.js";

const DAY_MS = 24 * 60 * 60 * 1000;
const noServer = { shutdown: async () => undefined };

describe("service runtime", () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let dir: TempDir;
  let runtime: ServiceRuntime | undefined;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectNats({ servers: server.url, name: "service-runtime-test" });
  });
  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });
  beforeEach(async () => {
    dir = await tempDir("service-runtime");
  });
  afterEach(async () => {
    await runtime?.stop(noServer);
    runtime = undefined;
    await dir.remove();
  });

  const start = (inbox: boolean): Promise<ServiceRuntime> =>
    startServiceRuntime({
      storeLocation: { kind: "sqlite", path: `${dir.path}/store.db` },
      storeReentryCheck: true,
      tableSpecs: [],
      inbox,
      nc,
      logger: createLogger({ service: "test", level: "silent" }),
      inboxPruneIntervalMs: 50,
    });

  it("prunes the inbox of rows older than the event stream's max age, and keeps younger ones", async () => {
    runtime = await start(true);
    const inbox = runtime.store.table<InboxRecord>(INBOX_TABLE);
    const row = (eventId: string, ageMs: number): InboxRecord => ({
      id: `tier:${eventId}`,
      consumer: "tier",
      event_id: eventId,
      processed_at: new Date(Date.now() - ageMs).toISOString(),
    });
    // The stream keeps events 7 days (ensureEventStream's default): only the 8-day-old row goes.
    expect((await inbox.insert(row("evt_old", 8 * DAY_MS))).ok).toBe(true);
    expect((await inbox.insert(row("evt_recent", 6 * DAY_MS))).ok).toBe(true);
    await expect.poll(async () => (await inbox.find()).length, { timeout: 5_000 }).toBe(1);
    expect((await inbox.find()).map((r) => r.record.event_id)).toEqual(["evt_recent"]);
  });
});
