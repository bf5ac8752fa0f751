import type { AnyEventEnvelope } from "@strata/events";
import { describe, expect, it } from "vitest";
import { batchEvent, domainFixture } from "../testing/domain-fixtures.js";
import { fanOut } from "./fan-out.js";
import { DELIVERIES_TABLE } from "./tables.js";

describe("fan-out", () => {
  it("adds no second delivery when an event comes again", async () => {
    const { runtime, ports } = await domainFixture();
    const event = batchEvent("evt_1", "batch.completed", runtime.now());
    const [[first] = []] = await fanOut(ports, [event]);
    const [again = []] = await fanOut(ports, [event]);
    expect(first?.deliveryId).toMatch(/^whd_/);
    expect(again).toEqual([]);
    expect(await runtime.store.table(DELIVERIES_TABLE).count()).toBe(1);
  });

  it("delivers no internal event (document.accessed), even to a webhook of every event (*)", async () => {
    const { runtime, ports } = await domainFixture();
    const at = runtime.now().toISOString();
    const accessed: AnyEventEnvelope = {
      ...batchEvent("evt_a", "batch.completed", runtime.now()),
      type: "document.accessed",
      data: {
        namespace_id: "ns_1",
        organization_id: "org_1",
        window_start: at,
        window_end: at,
        accesses: [
          { collection_id: "c", document_id: "d", tier: "hot", reads: 1, hits: 0, last_accessed_at: at },
        ],
      },
    };
    expect(await fanOut(ports, [accessed, batchEvent("evt_b", "batch.completed", runtime.now())])).toEqual([
      [],
      [expect.objectContaining({ webhookId: "wh_test" })],
    ]);
    expect(await runtime.store.table(DELIVERIES_TABLE).count()).toBe(1);
  });

  it("gives deliveries ids in the order of their events' times, whatever the event ids", async () => {
    const { runtime, ports } = await domainFixture();
    const start = runtime.now().getTime();
    // Event ids in reverse order of their times: only the time may order the delivery ids.
    const events = Array.from({ length: 50 }, (_, i) =>
      batchEvent(`evt_${50 - i}`, "batch.completed", new Date(start + i * 1_000)),
    );
    const ids = (await fanOut(ports, events)).map(([attempt]) => attempt?.deliveryId ?? "");
    expect([...ids].sort()).toEqual(ids);
  });
});
