import { describe, expect, it } from "vitest";
import { batchBodyOfNdjson } from "./ndjson-batch.js";

describe("batchBodyOfNdjson", () => {
  it("reads one document per line into the JSON body's shape, skipping blank lines", () => {
    const read = batchBodyOfNdjson('{"document_id":"a"}\r\n\n  \n{"document_id":"b"}\n');
    expect(read).toEqual({ ok: true, value: { documents: [{ document_id: "a" }, { document_id: "b" }] } });
    expect(batchBodyOfNdjson("")).toEqual({ ok: true, value: { documents: [] } });
  });

  it("names the first line that is not a JSON object", () => {
    for (const [text, line] of [
      ['{"a":1}\n{"a":', 2],
      ['\n\n[1]\n{"a":1}', 3],
      ["null", 1],
      ['{"a":1}\n"text"', 2],
    ] as const) {
      const read = batchBodyOfNdjson(text);
      expect(read.ok).toBe(false);
      if (!read.ok) {
        expect(read.error.kind).toBe("bad_request");
        expect(read.error.message).toContain(`Line ${line} `);
      }
    }
  });
});
