import { describe, expect, it } from "vitest";
import { documentKey, parseDocumentKey } from "./tables.js";

describe("document keys", () => {
  it("give back the collection and document ids they were made of, whatever the document id holds", () => {
    for (const documentId of ["doc_1", "a/b/c", "/", "ü 🙂", ""]) {
      const key = documentKey("col_abc", documentId);
      expect(parseDocumentKey(key)).toEqual({ collectionId: "col_abc", documentId });
    }
  });

  it("refuses a string that is not a document key", () => {
    expect(() => parseDocumentKey("col_abc")).toThrow(/Not a document key/);
    expect(() => parseDocumentKey("/doc")).toThrow(/Not a document key/);
  });
});
