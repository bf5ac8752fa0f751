import { isResponseSerializationError } from "fastify-type-provider-zod";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { executeResponseSchema } from "../routes/retriever-view.js";
import { isTwoWay, responseSerializerCompiler } from "./response-serializer.js";

const route = (schema: unknown) =>
  responseSerializerCompiler({ schema, method: "POST", url: "/v1/things", httpStatus: "200" });

const execution = {
  retriever_id: "ret_1",
  cold_scanned: false,
  cold_documents_scanned: 0,
  results: [
    {
      document_id: "d1",
      collection_id: "col_1",
      score: 0.97,
      metadata: { a: [1, { b: null }] },
      _source_tier: "hot",
    },
    { document_id: "d2", collection_id: "col_1", score: 0.5, metadata: {}, _source_tier: "warm" },
  ],
};

describe("responseSerializerCompiler", () => {
  it("serializes what zod's encoding gives, unknown keys dropped at every level", () => {
    expect(isTwoWay(executeResponseSchema)).toBe(true);
    const withExtras = {
      ...execution,
      internal: "never shown",
      results: execution.results.map((r) => ({ ...r, _acl: { owner: "u1" }, vector_write_id: "w1" })),
    };
    const text = route(executeResponseSchema)(withExtras);
    expect(text).toBe(JSON.stringify(z.encode(executeResponseSchema, withExtras as never)));
    expect(JSON.parse(text)).toEqual(execution);
  });

  it("refuses an answer its schema refuses, with the error the error handler knows", () => {
    const serialize = route(executeResponseSchema);
    const wrongTier = { ...execution, results: [{ ...execution.results[0], _source_tier: "lukewarm" }] };
    const thrown = (() => {
      try {
        serialize(wrongTier);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(isResponseSerializationError(thrown)).toBe(true);
    expect(() => serialize({ ...execution, cold_documents_scanned: 1.5 })).toThrow();
  });

  it("keeps the library's encoding for a schema with a part that works one way only", () => {
    const codec = z.codec(z.string(), z.number(), { decode: Number, encode: String });
    const withCodec = z.object({ n: codec, list: z.array(z.object({ at: codec })) });
    expect(isTwoWay(withCodec)).toBe(false);
    // Parsing would have read 5 as a string and refused it; encoding writes the codec's string.
    expect(route(withCodec)({ n: 5, list: [{ at: 6 }] })).toBe('{"n":"5","list":[{"at":"6"}]}');
    for (const oneWay of [
      z.object({ n: z.number().default(1) }),
      z.object({ s: z.string().transform((s) => s.length) }),
      z.array(z.string().catch("x")),
      z.record(z.string(), z.number().prefault(0)),
      z.union([z.string(), z.lazy(() => z.number())]),
    ]) {
      expect(isTwoWay(oneWay)).toBe(false);
    }
  });

  it("recognizes the plain kinds and their containers as two-way", () => {
    const plain = z.object({
      id: z.string().regex(/^x_/),
      at: z.iso.datetime(),
      n: z.number().int().min(0),
      big: z.bigint(),
      flag: z.boolean().nullable(),
      kind: z.enum(["a", "b"]),
      exact: z.literal("v1"),
      maybe: z.string().optional(),
      pair: z.tuple([z.string(), z.number()]),
      either: z.union([z.string(), z.null()]),
      both: z.intersection(z.object({ a: z.string() }), z.object({ b: z.string() })),
      frozen: z.array(z.string()).readonly(),
      anything: z.unknown(),
    });
    expect(isTwoWay(plain)).toBe(true);
  });
});
