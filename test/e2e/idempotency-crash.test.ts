import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApi, waitUntil } from "./harness.js";
import { type CrashRig, startCrashRig } from "./platform-process.js";

/**
 * An Idempotency-Key answer survives a crash (issue 8, finding 4; ADR 0016): the platform is
 * SIGKILLed after the batch committed and before its answer went out; after a restart the retry
 * with the same key and body is answered with the first batch, and the documents exist once.
 */
const URI = "strata://test@v1/embedding";
// Long enough that the kill surely lands between the commit and the answer.
const HELD_ANSWER = { GATEWAY_TEST_ONLY_IDEMPOTENT_ANSWER_DELAY: "120s" };
// The first attempt's pending entry outlives the crash; a shorter lease keeps the test short.
const LEASE = { GATEWAY_IDEMPOTENCY_LEASE: "5s" };
let rig: CrashRig;

beforeAll(async () => {
  rig = await startCrashRig("strata-e2e-idempotency-crash-");
});
afterAll(async () => {
  await rig?.close();
});

interface DocumentPage {
  data: Array<{ document_id: string; lineage: Record<string, unknown> | null }>;
  next_cursor: string | null;
}

async function listDocuments(url: string, key: string, collectionId: string): Promise<DocumentPage["data"]> {
  const all: DocumentPage["data"] = [];
  let cursor: string | null = null;
  do {
    const page: { status: number; body: DocumentPage } = await callApi(
      url,
      "GET",
      `/v1/collections/${collectionId}/documents?limit=100${cursor ? `&cursor=${cursor}` : ""}`,
      { key, namespace: "idem" },
    );
    expect(page.status).toBe(200);
    all.push(...page.body.data);
    cursor = page.body.next_cursor;
  } while (cursor !== null);
  return all;
}

describe("Idempotency-Key across a crash", () => {
  it("answers the retry with the batch the killed attempt created, and writes its documents once", async () => {
    const first = await rig.launch({ ...HELD_ANSWER, ...LEASE });
    const key = await rig.adminKey();
    const ns = await callApi(first.url, "POST", "/v1/namespaces", { key, body: { namespace_name: "idem" } });
    expect(ns.status).toBe(201);
    const made = await callApi<{ collection_id: string }>(first.url, "POST", "/v1/collections", {
      key,
      namespace: "idem",
      body: { collection_name: "items", features: [{ feature_uri: URI, dimensions: 3 }] },
    });
    expect(made.status).toBe(201);
    const collectionId = made.body.collection_id;
    const total = 2_000;
    const documents = Array.from({ length: total }, (_, i) => ({
      metadata: { n: i },
      features: { [URI]: [1, i, 2] },
    }));
    const send = (url: string) =>
      callApi<{ batch_id: string; status: string }>(
        url,
        "POST",
        `/v1/collections/${collectionId}/documents/batch`,
        {
          key,
          namespace: "idem",
          body: { documents },
          headers: { "idempotency-key": "import-2026-12-04" },
        },
      );

    const lost = send(first.url).catch((error: unknown) => error);
    // Documents appear only once the batch row committed: then kill, with the answer still held.
    await waitUntil(async () => (await listDocuments(first.url, key, collectionId)).length > 0, 60_000, 50);
    first.child.kill("SIGKILL");
    await first.exited;
    expect(await lost).toBeInstanceOf(Error);

    const second = await rig.launch(LEASE);
    try {
      let retry = await send(second.url);
      await waitUntil(
        async () => {
          if (retry.status !== 409) return true;
          retry = await send(second.url);
          return retry.status !== 409;
        },
        30_000,
        500,
      );
      expect(retry.status).toBe(202);
      const batchId = retry.body.batch_id;
      await waitUntil(
        async () => {
          const got = await callApi(second.url, "GET", `/v1/batches/${batchId}`, { key, namespace: "idem" });
          return got.status === 200 && got.body.status === "completed";
        },
        // A chunk the killed process held comes back after ack_wait (30 s).
        90_000,
        200,
      );
      const listed = await listDocuments(second.url, key, collectionId);
      expect(listed.length).toBe(total);
      expect(new Set(listed.map((d) => d.document_id)).size).toBe(total);
      // Every document came from the answered batch: it is the one the killed attempt created.
      expect(new Set(listed.map((d) => d.lineage?.batch_id))).toEqual(new Set([batchId]));
      // And a retry now replays that answer.
      const again = await send(second.url);
      expect(again.status).toBe(202);
      expect(again.body.batch_id).toBe(batchId);
    } finally {
      second.child.kill("SIGTERM");
      await second.exited;
    }
  }, 300_000);
});
