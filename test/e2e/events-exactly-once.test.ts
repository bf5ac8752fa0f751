import { readEventStream } from "@strata/service-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApi, waitUntil } from "./harness.js";
import { type CrashRig, startCrashRig } from "./platform-process.js";

/**
 * Each change produces exactly one event on the stream, even when the process dies mid-way: the
 * platform runs as a real process (as a container would, against an external NATS), gets SIGKILLed
 * in the middle of a burst of writes, and is started again on the same data.
 */
let rig: CrashRig;

beforeAll(async () => {
  rig = await startCrashRig("strata-e2e-crash-");
});
afterAll(async () => {
  await rig?.close();
});

async function namespaceCreatedEvents(): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const event of await readEventStream(rig.nc)) {
    if (event.type !== "namespace.created") continue;
    counts.set(event.data.namespace_id, (counts.get(event.data.namespace_id) ?? 0) + 1);
  }
  return counts;
}

describe("events survive a crash exactly once", () => {
  it("publishes one namespace.created per namespace after a SIGKILL mid-burst and a restart", async () => {
    const first = await rig.launch();
    const adminKey = await rig.adminKey();
    const create = (i: number): Promise<number> =>
      callApi(first.url, "POST", "/v1/namespaces", {
        key: adminKey,
        body: { namespace_name: `burst-${i}` },
      }).then(
        (response) => response.status,
        () => 0,
      );
    // Some changes fully done, then a burst still in flight when the process dies: commits,
    // outbox rows and publishes are cut at whatever point each one has reached.
    for (let i = 0; i < 20; i++) expect(await create(i)).toBe(201);
    let answered = 0;
    const answers = Array.from({ length: 60 }, (_, i) =>
      create(20 + i).then((status) => {
        answered++;
        return status;
      }),
    );
    await waitUntil(async () => answered >= 5, 10_000, 1);
    first.child.kill("SIGKILL");
    const statuses = await Promise.all(answers);
    // The kill really cut the burst short: some requests never got their answer.
    expect(statuses.filter((status) => status !== 201).length).toBeGreaterThan(0);
    await first.exited;

    const second = await rig.launch();
    try {
      const listed = await callApi<{ data: Array<{ namespace_id: string }> }>(
        second.url,
        "GET",
        "/v1/namespaces?limit=100",
        {
          key: adminKey,
        },
      );
      expect(listed.status).toBe(200);
      const existing = new Set(listed.body.data.map((ns) => ns.namespace_id));
      expect(existing.size).toBeGreaterThan(0);
      // The restarted relay publishes what the killed one left in the outbox.
      await waitUntil(
        async () => {
          const events = await namespaceCreatedEvents();
          return [...existing].every((id) => events.has(id));
        },
        15_000,
        250,
      );
      const events = await namespaceCreatedEvents();
      for (const id of existing) expect(events.get(id), id).toBe(1);
      // No event for a change that never committed.
      for (const id of events.keys()) expect(existing.has(id), id).toBe(true);
    } finally {
      second.child.kill("SIGTERM");
      await second.exited;
    }
  }, 120_000);
});
