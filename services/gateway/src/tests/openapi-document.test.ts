import { ERROR_TYPES } from "@strata/errors";
import { beforeAll, describe, expect, it } from "vitest";
import { type Json, type Operation, operationsOf } from "../http/openapi-names.js";
import { buildOpenApiDocument } from "../openapi-document.js";
import { checkOpenApiDocument } from "./openapi-check.js";

/**
 * Rules every operation of the generated document must follow, so that a route added later (by
 * any module) without an operationId, a summary, tags, a named body or with an error it cannot
 * answer fails here rather than in a generated client.
 */
let doc: Json;
let operations: Array<{ path: string; method: string; operation: Operation }>;
beforeAll(async () => {
  doc = (await buildOpenApiDocument()) as Json;
  operations = operationsOf(doc);
});

const name = ({ method, path }: { method: string; path: string }) => `${method.toUpperCase()} ${path}`;
const schemas = () => (doc.components as Json).schemas as Record<string, Json>;
const responsesOf = (operation: Operation) =>
  Object.entries(operation.responses ?? {}).map(([status, response]) => {
    const ref = typeof response.$ref === "string" ? response.$ref.split("/").pop() : undefined;
    const shared = ((doc.components as Json).responses ?? {}) as Record<string, Json>;
    return [status, ref === undefined ? response : (shared[ref] ?? {})] as const;
  });
const isSecured = (operation: Operation) => (operation.security ?? []).length > 0;
const hasHeader = (operation: Operation, header: string) =>
  (operation.parameters ?? []).some((p) => p.in === "header" && p.name === header);

describe("the OpenAPI document", () => {
  it("is well formed, and every path template is an RFC 6570 simple expression", () => {
    expect(checkOpenApiDocument(doc)).toEqual([]);
    for (const path of Object.keys(doc.paths as Json)) {
      expect(path, path).toMatch(/^(\/([A-Za-z0-9._-]+|\{[A-Za-z_][A-Za-z0-9_]*\}))+$/);
    }
    expect(doc.servers).toEqual([expect.objectContaining({ url: expect.stringMatching(/^http/) })]);
  });

  it("gives every operation a unique camelCase operationId, a summary and tags", () => {
    expect(operations.length).toBeGreaterThan(50);
    const ids = operations.map(({ operation }) => operation.operationId);
    for (const { operation, ...where } of operations) {
      expect(operation.operationId, name(where)).toMatch(/^[a-z][A-Za-z0-9]*$/);
      expect(operation.summary, name(where)).toEqual(expect.any(String));
      expect(operation.tags, name(where)).toEqual([expect.any(String)]);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("names every request body and JSON answer as a component", () => {
    for (const { operation, ...where } of operations) {
      const body = (operation.requestBody?.content as Record<string, Json> | undefined)?.["application/json"];
      if (body !== undefined) expect(body.schema, name(where)).toEqual({ $ref: expect.any(String) });
      for (const [status, response] of responsesOf(operation)) {
        const json = (response.content as Record<string, Json> | undefined)?.["application/json"];
        const schema = json?.schema as Json | undefined;
        if (schema !== undefined && schema.type !== "string") {
          expect(schema, `${name(where)} ${status}`).toEqual({ $ref: expect.any(String) });
        }
      }
    }
    expect(
      Object.keys(schemas()).filter((s) => s.endsWith("Input") && !s.startsWith("TaxonomyLabel")),
    ).toEqual([]);
    expect(schemas().NamespacePage).toBeDefined();
  });

  it("claims only the error statuses an operation can answer, each with the error body", () => {
    for (const { operation, ...where } of operations) {
      const takesBody = ["post", "put", "patch"].includes(where.method);
      const scoped = hasHeader(operation, "x-namespace");
      const named = where.path.includes("{");
      const validated = (operation.parameters ?? []).length > 0 || operation.requestBody !== undefined;
      const statuses = responsesOf(operation).map(([status]) => Number(status));
      const errors = statuses.filter((status) => status >= 400);
      const possible = new Set([401, 403, 429, 500, 503]);
      // whoami is the one operation whose X-Namespace may be left out.
      if (takesBody || (scoped && operation.operationId !== "whoami")) possible.add(400);
      if (named || scoped) possible.add(404);
      const content = Object.keys((operation.requestBody?.content ?? {}) as Json);
      if (takesBody) possible.add(413);
      // Only a JSON body can be of the wrong media type; only JSON creates and updates conflict.
      if (takesBody && content.includes("application/json")) for (const s of [409, 415]) possible.add(s);
      if (validated) possible.add(422);
      if (!isSecured(operation)) {
        // Public probes: at most readyz's 503 with its own body.
        expect(
          errors.filter((s) => s !== 503),
          name(where),
        ).toEqual([]);
        continue;
      }
      expect(
        errors.filter((s) => !possible.has(s)),
        name(where),
      ).toEqual([]);
      expect(errors, name(where)).toEqual(expect.arrayContaining([401, 403, 429, 500, 503]));
      for (const [status, response] of responsesOf(operation)) {
        if (Number(status) < 400) continue;
        expect(response.content, `${name(where)} ${status}`).toEqual({
          "application/json": { schema: { $ref: `#/components/schemas/Error${status}` } },
        });
        expect(JSON.stringify(schemas()[`Error${status}`]?.allOf)).toContain(
          '"$ref":"#/components/schemas/Error"',
        );
      }
    }
    const whoami = operations.find(({ operation }) => operation.operationId === "whoami")?.operation;
    expect(Object.keys(whoami?.responses ?? {})).not.toContain("409");
    expect(Object.keys(whoami?.responses ?? {})).not.toContain("413");
    expect(Object.keys(whoami?.responses ?? {})).not.toContain("400");
  });

  it("gives the error body's type as the enum of error names", () => {
    const error = schemas().Error as { properties: { error: { properties: { type: Json } } } };
    expect(error.properties.error.properties.type.enum).toEqual(ERROR_TYPES);
  });

  it("describes every answer and documents its headers", () => {
    for (const { operation, ...where } of operations) {
      for (const [status, response] of responsesOf(operation)) {
        const where2 = `${name(where)} ${status}`;
        expect(response.description, where2).not.toBe("Default Response");
        const headers = (response.headers ?? {}) as Json;
        expect(Object.keys(headers), where2).toContain("X-Request-Id");
        if (status === "429" || status === "503")
          expect(Object.keys(headers), where2).toContain("Retry-After");
        if (hasHeader(operation, "idempotency-key") && status.startsWith("2")) {
          expect(Object.keys(headers), where2).toContain("Idempotent-Replayed");
        }
      }
    }
  });

  it("marks every timestamp as date-time", () => {
    const timestamps = Object.entries(schemas()).flatMap(([schema, body]) =>
      Object.entries((body.properties ?? {}) as Record<string, Json>)
        .filter(([field]) => field.endsWith("_at"))
        .map(([field, property]) => [`${schema}.${field}`, property] as const),
    );
    expect(timestamps.length).toBeGreaterThan(10);
    for (const [where, property] of timestamps) {
      const variants = [property, ...((property.anyOf ?? []) as Json[])];
      expect(
        variants.some((v) => v.format === "date-time"),
        where,
      ).toBe(true);
    }
  });

  it("names the object key {key}, uploads bytes and downloads the stored content type", () => {
    const objectPath = "/v1/buckets/{id}/objects/{key}";
    const item = (doc.paths as Record<string, Record<string, Operation>>)[objectPath];
    expect(Object.keys(item ?? {}).sort()).toEqual(["delete", "get", "head", "put"]);
    const put = item?.put as Operation;
    expect(put.parameters?.find((p) => p.in === "path" && p.name === "key")?.description).toContain("%2F");
    expect(Object.keys((put.requestBody?.content ?? {}) as Json)).toEqual([
      "application/octet-stream",
      "*/*",
    ]);
    expect(put.requestBody?.required).toBe(true);
    const download = item?.get?.responses?.["200"] as Json;
    expect(Object.keys(download.content as Json)).toEqual(["*/*"]);
    expect(Object.keys(download.headers as Json)).toEqual(
      expect.arrayContaining(["ETag", "X-Checksum-Sha256"]),
    );
  });
});
