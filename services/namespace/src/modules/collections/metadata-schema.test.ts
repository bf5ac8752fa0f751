import { describe, expect, it } from "vitest";
import { MetadataValidators } from "../../shared/metadata-validators.js";
import { checkMetadataSchema } from "./metadata-schema.js";

describe("metadata schema subset", () => {
  it("accepts the subset and refuses other keywords, listing them", () => {
    const ok = {
      type: "object",
      title: "t",
      properties: {
        name: { type: "string", minLength: 1, maxLength: 10 },
        n: { type: "number", minimum: 0, maximum: 1 },
        list: { type: "array", items: { type: "integer", enum: [1, 2] } },
        flag: { type: "boolean" },
      },
      required: ["name"],
      additionalProperties: false,
    };
    expect(checkMetadataSchema(ok)).toEqual([]);
    const issues = checkMetadataSchema({
      type: "object",
      properties: { a: { type: "string", format: "email", pattern: "x" } },
    });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toContain("format, pattern");
    expect(
      checkMetadataSchema({ type: "object", properties: { a: { type: ["string", "null"] } } })[0]?.type,
    ).toBe("invalid_type");
    expect(checkMetadataSchema({ type: "object", properties: { a: { type: "array" } } })[0]?.type).toBe(
      "missing",
    );
    expect(
      checkMetadataSchema({
        type: "object",
        properties: { a: { type: "string", minLength: 5, maxLength: 1 } },
      })[0]?.type,
    ).toBe("range");
    expect(
      checkMetadataSchema({ type: "object", properties: { a: { type: "string", enum: [1] } } })[0]?.type,
    ).toBe("type");
    expect(checkMetadataSchema("nope")[0]?.type).toBe("type");
    expect(
      checkMetadataSchema({ type: "object", properties: { a: { type: "string", enum: ["x", "x"] } } })[0]
        ?.type,
    ).toBe("duplicate");
  });

  it("validates metadata, compiling a collection version once", () => {
    const validators = new MetadataValidators(1);
    const collection = {
      id: "col_1",
      schema_version: 1,
      metadata_schema: { type: "object", properties: { n: { type: "integer" } } },
    };
    expect(validators.validate(collection, { n: 1 })).toEqual([]);
    expect(validators.validate(collection, { n: 1.5 })).toEqual([
      { location: "body.metadata.n", message: "must be integer", type: "schema_type" },
    ]);
    // Capacity 1: another collection evicts the first, which then compiles again and still works.
    const other = {
      ...collection,
      id: "col_2",
      metadata_schema: { type: "object", required: ["n"], properties: { n: { type: "integer" } } },
    };
    expect(validators.validate(other, {})).toHaveLength(1);
    expect(validators.validate(collection, {})).toEqual([]);
  });
});
