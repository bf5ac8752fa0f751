import { describe, expect, it } from "vitest";
import {
  checkResourceDescription,
  checkResourceName,
  isValidResourceName,
  type NameIssue,
  newId,
} from "./index.js";

describe("resource names", () => {
  it("accepts names of letters, digits, '_' and '-' up to 64 characters", () => {
    for (const name of ["a", "A1_b-c", "x".repeat(64), "NS_upper", "nsx", "col_x"]) {
      expect(isValidResourceName("namespace", name), name).toBe(true);
    }
  });

  it("refuses names that are empty, too long, badly shaped or start with the kind's id prefix", () => {
    for (const name of ["", "-lead", "has space", "x".repeat(65), "ns_abc", newId("namespace"), "ünï"]) {
      expect(isValidResourceName("namespace", name), name).toBe(false);
    }
    expect(isValidResourceName("collection", "col_abc")).toBe(false);
    expect(isValidResourceName("collection", "ns_abc")).toBe(true);
  });

  it("reports each problem once, at body.<field>, with its type", () => {
    const check = (name: string) => {
      const issues: NameIssue[] = [];
      checkResourceName("retriever", "retriever_name", name, issues);
      return issues;
    };
    expect(check("ok")).toEqual([]);
    expect(check("")).toEqual([
      { location: "body.retriever_name", message: "retriever_name is required", type: "missing" },
    ]);
    expect(check("x".repeat(65))).toEqual([
      {
        location: "body.retriever_name",
        message: "retriever_name must be at most 64 characters",
        type: "string_too_long",
      },
    ]);
    expect(check("ret_abc")).toEqual([
      {
        location: "body.retriever_name",
        message:
          "retriever_name must start with a letter or digit, hold only letters, digits, '_' and '-', and not start with 'ret_'",
        type: "invalid_format",
      },
    ]);
  });

  it("limits descriptions to 500 characters", () => {
    const issues: NameIssue[] = [];
    checkResourceDescription("d".repeat(500), issues);
    expect(issues).toEqual([]);
    checkResourceDescription("d".repeat(501), issues);
    expect(issues).toEqual([
      {
        location: "body.description",
        message: "description must be at most 500 characters",
        type: "string_too_long",
      },
    ]);
  });
});
