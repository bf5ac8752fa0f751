import { readEventStream } from "@strata/service-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApi, waitUntil } from "./harness.js";
import { type CrashRig, startCrashRig } from "./platform-process.js";

/**
 * A batch survives a crash: the platform runs as a real process, is SIGKILLed right after it
 * accepted a batch (chunks queued or half written), and is started again on the same data. The
 * batch completes, every document exists once and batch.completed is published once.
 */
const URI = "strata://test@v1/embedding";
let rig: CrashRig;

beforeAll(async () => {
  rig = await startCrashRig("strata-e2e-batch-crash-");
});
afterAll(async () => {
  await rig?.close();
});

async function batchEventCount(batchId: string): Promise<number> {
  const events = await readEventStream(rig.nc);
  return events.filter((event) => event.type === "batch.completed" && event.data.batch_id === batchId).length;
}

describe("batches survive a crash", () => {
  it("completes a batch after a SIGKILL and a restart, with no document written twice", async () => {
    const first = await rig.launch();
    const key = await rig.adminKey();
    const ns = await callApi(first.url, "POST", "/v1/namespaces", { key, body: { namespace_name: "crash" } });
    expect(ns.status).toBe(201);
    const made = await callApi<{ collection_id: string }>(first.url, "POST", "/v1/collections", {
      key,
      namespace: "crash",
      body: { collection_name: "items", features: [{ feature_uri: URI, dimensions: 3 }] },
    });
    expect(made.status).toBe(201);
    const collectionId = made.body.collection_id;
    const total = 6_000;
    const documents = Array.from({ length: total }, (_, i) => ({
      metadata: { n: i },
      features: { [URI]: [1, i, 2] },
    }));
    const accepted = await callApi<{ batch_id: string }>(
      first.url,
      "POST",
      `/v1/collections/${collectionId}/documents/batch`,
      { key, namespace: "crash", body: { documents } },
    );
    expect(accepted.status).toBe(202);
    // Kill at once: chunks are queued, some maybe half-way through their transaction.
    first.child.kill("SIGKILL");
    await first.exited;

    const second = await rig.launch();
    try {
      const batchId = accepted.body.batch_id;
      let view: Record<string, unknown> = {};
      await waitUntil(
        async () => {
          const got = await callApi(second.url, "GET", `/v1/batches/${batchId}`, { key, namespace: "crash" });
          view = got.body;
          return got.status === 200 && got.body.status === "completed";
        },
        // A chunk the killed process held comes back after ack_wait (30 s).
        90_000,
        200,
      );
      expect(view).toMatchObject({ status: "completed", total, succeeded: total, failed: 0 });
      const ids = new Set<string>();
      let listed = 0;
      let cursor: string | null = null;
      do {
        const page: {
          status: number;
          body: { data: Array<{ document_id: string }>; next_cursor: string | null };
        } = await callApi(
          second.url,
          "GET",
          `/v1/collections/${collectionId}/documents?limit=100${cursor ? `&cursor=${cursor}` : ""}`,
          { key, namespace: "crash" },
        );
        expect(page.status).toBe(200);
        for (const d of page.body.data) ids.add(d.document_id);
        listed += page.body.data.length;
        cursor = page.body.next_cursor;
      } while (cursor !== null);
      expect(listed).toBe(total);
      expect(ids.size).toBe(total);
      await waitUntil(async () => (await batchEventCount(batchId)) > 0, 15_000, 250);
      expect(await batchEventCount(batchId)).toBe(1);
    } finally {
      second.child.kill("SIGTERM");
      await second.exited;
    }
  }, 240_000);
});
