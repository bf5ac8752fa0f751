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
