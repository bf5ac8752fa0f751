import { type EventEnvelope, parseEvent } from "@strata/events";
import { describe, expect, it } from "vitest";
import { ACCESSES_PER_EVENT, AccessWindow } from "./access-window.js";
import type { AccessedDocument } from "./ports.js";

const doc = (namespace: string, id: string, tier: AccessedDocument["tier"] = "hot"): AccessedDocument => ({
  namespace_id: namespace,
  organization_id: "org_1",
  collection_id: "col_1",
  document_id: id,
  tier,
});

function recorder(maxEntries?: number) {
  const published: EventEnvelope<"document.accessed">[] = [];
  const failures: { readonly error: unknown; readonly documents: number }[] = [];
  let now = Date.parse("2030-01-01T00:00:00Z");
  const window = new AccessWindow({
    publish: async (events) => {
      published.push(...events);
    },
    onError: (error, documents) => failures.push({ error, documents }),
    clock: () => new Date(now),
    flushMs: 60_000,
    ...(maxEntries === undefined ? {} : { maxEntries }),
  });
  return { window, published, failures, advance: (ms: number) => (now += ms) };
}

describe("AccessWindow", () => {
  it("counts reads and hits per document and publishes one event per namespace per window", async () => {
    const { window, published, advance } = recorder();
    window.hits([doc("ns_a", "d1"), doc("ns_a", "d2", "warm")]);
    advance(300);
    window.hits([doc("ns_a", "d1")]);
    window.reads([doc("ns_a", "d1"), doc("ns_b", "x", "cold")]);
    expect(published).toHaveLength(0);
    advance(200);
    await window.flush();
    expect(published.map((e) => e.data.namespace_id).sort()).toEqual(["ns_a", "ns_b"]);
    const a = published.find((e) => e.data.namespace_id === "ns_a");
    expect(a?.type).toBe("document.accessed");
    expect(a?.data.window_start).toBe("2030-01-01T00:00:00.000Z");
    expect(a?.data.window_end).toBe("2030-01-01T00:00:00.500Z");
    expect(a?.data.accesses).toEqual([
      {
        collection_id: "col_1",
        document_id: "d1",
        tier: "hot",
        reads: 1,
        hits: 2,
        last_accessed_at: "2030-01-01T00:00:00.300Z",
      },
      {
        collection_id: "col_1",
        document_id: "d2",
        tier: "warm",
        reads: 0,
        hits: 1,
        last_accessed_at: "2030-01-01T00:00:00.000Z",
      },
    ]);
    // What the catalogue says a document.accessed carries, in a valid CloudEvents envelope.
    for (const event of published) expect(parseEvent(JSON.stringify(event)).ok).toBe(true);
    // The next window starts empty: nothing more to publish.
    await window.flush();
    expect(published).toHaveLength(2);
  });

  it("publishes as soon as a window holds its maximum of documents", async () => {
    const { window, published } = recorder(3);
    window.hits([doc("ns_a", "1"), doc("ns_a", "2")]);
    expect(published).toHaveLength(0);
    window.hits([doc("ns_a", "3")]);
    await window.flush();
    expect(published).toHaveLength(1);
    expect(published[0]?.data.accesses).toHaveLength(3);
  });

  it("counts a call's accesses in a timer's turn after it, so a full window closes without a flush", async () => {
    const { window, published } = recorder(2);
    window.hits([doc("ns_a", "d1"), doc("ns_a", "d2")]);
    // Nothing is counted while the caller's answer is still on its way.
    expect(published).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(published.map((e) => e.data.accesses.map((a) => [a.document_id, a.hits]))).toEqual([
      [
        ["d1", 1],
        ["d2", 1],
      ],
    ]);
  });

  it("counts a document id in two collections as two documents", async () => {
    const { window, published } = recorder(2);
    const other: AccessedDocument = { ...doc("ns_a", "d1"), collection_id: "col_2" };
    window.hits([doc("ns_a", "d1")]);
    window.reads([other]);
    await window.flush();
    expect(published).toHaveLength(1);
    expect(published[0]?.data.accesses.map((a) => [a.collection_id, a.reads, a.hits])).toEqual([
      ["col_1", 0, 1],
      ["col_2", 1, 0],
    ]);
  });

  it("splits a busy namespace's window into events of at most ACCESSES_PER_EVENT documents, each under NATS's 1 MB", async () => {
    const { window, published } = recorder();
    // The longest document ids there are (128 characters): a 5,000-document window was ~1.5 MB.
    const longId = (i: number) => `d${String(i).padStart(127, "0")}`;
    const busy = Array.from({ length: 2 * ACCESSES_PER_EVENT + 200 }, (_, i) => doc("ns_a", longId(i)));
    window.hits(busy);
    window.reads([doc("ns_b", "x")]);
    await window.flush();
    const sizes = published.map((e) => [e.data.namespace_id, e.data.accesses.length]);
    expect(sizes).toEqual([
      ["ns_a", ACCESSES_PER_EVENT],
      ["ns_a", ACCESSES_PER_EVENT],
      ["ns_a", 200],
      ["ns_b", 1],
    ]);
    const named = published.flatMap((e) => e.data.accesses.map((a) => a.document_id));
    expect(new Set(named)).toEqual(new Set([...busy.map((d) => d.document_id), "x"]));
    expect(new Set(published.map((e) => e.id)).size).toBe(published.length);
    for (const event of published) {
      expect(parseEvent(new TextEncoder().encode(JSON.stringify(event))).ok).toBe(true);
      expect(JSON.stringify(event).length).toBeLessThan(1024 * 1024);
    }
    // Unsplit, a full window (5,000 such documents) would have been over the limit.
    expect(JSON.stringify(published[0]).length * (5000 / ACCESSES_PER_EVENT)).toBeGreaterThan(1024 * 1024);
  });

  it("publishes a window's events apart, so what arrives meanwhile runs between them", async () => {
    const order: string[] = [];
    const window = new AccessWindow({
      publish: async (events) => {
        order.push(`event of ${events[0]?.data.accesses.length}`);
        // A request that arrives while the first event goes out.
        if (order.length === 1) setImmediate(() => order.push("request"));
      },
      onError: (error) => {
        throw error;
      },
      clock: () => new Date(),
      flushMs: 60_000,
    });
    window.hits(Array.from({ length: ACCESSES_PER_EVENT + 1 }, (_, i) => doc("ns_a", `d${i}`)));
    await window.flush();
    expect(order).toEqual([`event of ${ACCESSES_PER_EVENT}`, "request", "event of 1"]);
  });

  it("reports an event it cannot build and drops its counts, and the windows after it are published", async () => {
    const { window, published, failures } = recorder();
    // A tier the catalogue does not know: buildEvent refuses the event (a bug, were it ever to happen).
    window.hits([doc("ns_a", "d1", "lukewarm" as AccessedDocument["tier"]), doc("ns_b", "d2")]);
    await window.flush();
    expect(failures).toHaveLength(1);
    expect(failures[0]?.documents).toBe(1);
    expect(published.map((e) => e.data.namespace_id)).toEqual(["ns_b"]);
    window.hits([doc("ns_a", "d3")]);
    await window.flush();
    expect(published.map((e) => e.data.accesses[0]?.document_id)).toEqual(["d2", "d3"]);
  });

  it("goes on after a publish that throws", async () => {
    const published: string[] = [];
    const failures: unknown[] = [];
    let calls = 0;
    const window = new AccessWindow({
      publish: async (events) => {
        calls++;
        if (calls === 1) throw new Error("publish broke");
        published.push(...events.map((e) => e.data.accesses[0]?.document_id ?? ""));
      },
      onError: (error) => failures.push(error),
      clock: () => new Date(),
      flushMs: 60_000,
    });
    window.hits([doc("ns_a", "d1")]);
    await window.flush();
    window.hits([doc("ns_a", "d2")]);
    await window.flush();
    expect(failures.map((e) => (e as Error).message)).toEqual(["publish broke"]);
    expect(published).toEqual(["d2"]);
  });
});
