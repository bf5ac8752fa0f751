import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectErrorBody, startTestPlatform, type TestPlatform, waitUntil } from "./harness.js";

/**
 * The batch body's other formats (issue 14). Vectors as base64 float32 (`vector_b64`): read back as
 * the same float32 values as a JSON array of numbers gives, and every malformed one — not base64,
 * not a whole number of float32s, NaN or Infinity, too long — refused as a whole with 422 and the
 * documented error body. Bodies as NDJSON (`application/x-ndjson`, one document per line): the
 * same documents as the JSON body, and a bad line refused as a whole, naming its line.
 */
const URI = "strata://test@v1/embedding";
const NS = "binary-vectors";
let platform: TestPlatform;
let collectionId: string;

beforeAll(async () => {
  platform = await startTestPlatform({ GATEWAY_RATE_LIMIT_MAX: "1000000" });
  expect((await platform.call("POST", "/v1/namespaces", { body: { namespace_name: NS } })).status).toBe(201);
  const created = await platform.call<{ collection_id: string }>("POST", "/v1/collections", {
    namespace: NS,
    body: { collection_name: "items", features: [{ feature_uri: URI, dimensions: 3 }] },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  collectionId = created.body.collection_id;
}, 60_000);

afterAll(async () => {
  await platform?.stop();
});

const b64 = (floats: Float32Array) =>
  Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString("base64");
const submit = (features: unknown, documentId = "d") =>
  platform.call<{ batch_id: string }>("POST", `/v1/collections/${collectionId}/documents/batch`, {
    namespace: NS,
    body: { documents: [{ document_id: documentId, features: { [URI]: features } }] },
  });

async function completed(batchId: string): Promise<{ status: string; succeeded: number }> {
  let view = { status: "pending", succeeded: 0 };
  await waitUntil(async () => {
    const got = await platform.call<typeof view>("GET", `/v1/batches/${batchId}`, { namespace: NS });
    view = got.body;
    return view.status === "completed" || view.status === "failed";
  }, 30_000);
  return view;
}

describe("batch vectors as base64 float32", () => {
  it("stores the very float32 values it was given, beside one given as numbers", async () => {
    const vector = Float32Array.of(0.1, -2.5, 3e-7);
    const binary = await submit({ vector_b64: b64(vector) }, "binary");
    expect(binary.status, JSON.stringify(binary.body)).toBe(202);
    const numbers = await submit(Array.from(vector), "numbers");
    expect(numbers.status).toBe(202);
    for (const batch of [binary, numbers])
      expect(await completed(batch.body.batch_id)).toMatchObject({ status: "completed", succeeded: 1 });
    const read = async (id: string) =>
      (
        await platform.call<{ features: Record<string, number[]> }>(
          "GET",
          `/v1/collections/${collectionId}/documents/${id}?include_features=true`,
          { namespace: NS },
        )
      ).body.features[URI];
    expect(await read("binary")).toEqual(Array.from(vector));
    expect(await read("numbers")).toEqual(await read("binary"));
  });

  it("refuses malformed vector_b64 with 422 and writes nothing", async () => {
    const notBase64 = fc
      .string({ minLength: 1, maxLength: 40 })
      .filter((s) => !/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0);
    const ragged = fc
      .uint8Array({ minLength: 1, maxLength: 64 })
      .filter((b) => b.length % 4 !== 0)
      .map((b) => Buffer.from(b).toString("base64"));
    const notFinite = fc
      .tuple(
        fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { maxLength: 4 }),
        fc.constantFrom(Number.NaN, Infinity, -Infinity),
        fc.nat(4),
      )
      .map(([finite, bad, at]) => {
        const values = [...finite];
        values.splice(at % (values.length + 1), 0, bad);
        return b64(Float32Array.from(values));
      });
    const tooLong = fc.constant(b64(new Float32Array(4097)));
    const shape = fc.oneof(
      fc.constant({ vector_b64: "" }),
      fc.record({ vector_b64: fc.integer() }),
      fc.record({ vector_b64: fc.constant("AACAPw=="), extra: fc.constant(1) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          notBase64.map((vector_b64) => ({ vector_b64 })),
          ragged.map((vector_b64) => ({ vector_b64 })),
          notFinite.map((vector_b64) => ({ vector_b64 })),
          tooLong.map((vector_b64) => ({ vector_b64 })),
          shape,
        ),
        async (features) => {
          const answer = await submit(features, "refused");
          const error = expectErrorBody(answer, 422, "ValidationError");
          expect(error.message.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 60 },
    );
    const none = await platform.call("GET", `/v1/collections/${collectionId}/documents/refused`, {
      namespace: NS,
    });
    expect(none.status).toBe(404);
  });
});

describe("batch bodies as NDJSON", () => {
  const submitNdjson = (text: string) =>
    platform.call<{ batch_id: string }>("POST", `/v1/collections/${collectionId}/documents/batch`, {
      namespace: NS,
      headers: { "content-type": "application/x-ndjson" },
      body: text,
    });
  const line = (documentId: string, features: unknown) =>
    JSON.stringify({ document_id: documentId, metadata: { from: "ndjson" }, features: { [URI]: features } });
  const status = async (id: string) =>
    (await platform.call("GET", `/v1/collections/${collectionId}/documents/${id}`, { namespace: NS })).status;

  it("writes one document per line, vectors as numbers or vector_b64, blank lines and CRLF skipped", async () => {
    const body = [
      line("nd-1", [1, 0, 0]),
      "",
      line("nd-2", { vector_b64: b64(Float32Array.of(0, 1, 0)) }),
      line("nd-3", [0, 0, 1]),
    ].join("\r\n");
    const accepted = await submitNdjson(`${body}\n`);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    expect(await completed(accepted.body.batch_id)).toMatchObject({ status: "completed", succeeded: 3 });
    const read = await platform.call<{
      metadata: Record<string, unknown>;
      features: Record<string, number[]>;
    }>("GET", `/v1/collections/${collectionId}/documents/nd-2?include_features=true`, { namespace: NS });
    expect(read.body.metadata).toEqual({ from: "ndjson" });
    expect(read.body.features[URI]).toEqual([0, 1, 0]);
  });

  it("refuses a line that is not a JSON object with 400 naming the line, and writes none of the batch", async () => {
    for (const bad of ["{not json", "[1, 2]", "42"]) {
      const answer = await submitNdjson(
        [line("nd-bad-1", [1, 1, 0]), bad, line("nd-bad-3", [1, 0, 1])].join("\n"),
      );
      const error = expectErrorBody(answer, 400, "BadRequestError");
      expect(error.message).toContain("Line 2");
    }
    expect(await status("nd-bad-1")).toBe(404);
    expect(await status("nd-bad-3")).toBe(404);
  });

  it("checks each line as a JSON item: 422 at the item's index, an empty body refused", async () => {
    const answer = await submitNdjson([line("nd-ok", [1, 1, 1]), line("nd-empty", [])].join("\n"));
    const error = expectErrorBody(answer, 422, "ValidationError");
    expect(JSON.stringify(error), JSON.stringify(error)).toContain("body.documents[1]");
    expect(await status("nd-ok")).toBe(404);
    expectErrorBody(await submitNdjson("\n\n"), 422, "ValidationError");
  });
});
