import { describe, expect, it } from "vitest";
import { filterFields, parseFilter } from "./index.js";

describe("filterFields", () => {
  it("lists the field of every condition, however deeply nested", () => {
    const parsed = parseFilter({
      AND: [
        { field: "metadata.year", operator: "gte", value: 2020 },
        {
          OR: [
            { field: "metadata.genre", operator: "eq", value: "jazz" },
            { NOT: [{ field: "metadata.year", operator: "eq", value: 2021 }] },
          ],
        },
      ],
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
    expect(filterFields(parsed.value)).toEqual(["metadata.year", "metadata.genre", "metadata.year"]);
  });
});
