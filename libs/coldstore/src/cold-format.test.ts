import { describe, expect, it } from "vitest";
import { COLD_VERSION, decodeColdDocument, encodeColdDocument } from "./cold-format.js";
import { COLD_PACK_VERSION, decodeColdPack, encodeColdPack, packDocumentIds } from "./cold-pack-format.js";
import { coldDocument } from "./coldstore.contract.js";
import type { ColdDocument } from "./port.js";

describe("cold object format", () => {
  const doc = coldDocument("ns_1", "col_1", "doc_1", 4);
  const bytes = encodeColdDocument(doc);

  it("round-trips and starts with the magic and version", () => {
    expect(bytes.toString("latin1", 0, 4)).toBe("SCLD");
    expect(bytes.readUInt16LE(4)).toBe(COLD_VERSION);
    expect(decodeColdDocument(bytes)).toEqual(doc);
  });

  it("refuses a flipped bit anywhere, a truncated object, another magic and a future version", () => {
    for (const at of [0, 6, 20, bytes.byteLength - 30, bytes.byteLength - 1]) {
      const bad = Buffer.from(bytes);
      bad[at] = (bad[at] ?? 0) ^ 0x10;
      expect(typeof decodeColdDocument(bad)).toBe("string");
    }
    expect(decodeColdDocument(bytes.subarray(0, bytes.byteLength - 9))).toBe("checksum mismatch");
    expect(decodeColdDocument(bytes.subarray(0, 10))).toBe("truncated");
  });
});

describe("cold pack format (version 2)", () => {
  const docs = [1, 2, 3].map((i) => coldDocument("ns_1", "col_1", `doc_${i}`, i));
  const bytes = encodeColdPack(docs);

  it("round-trips every document and indexes their ids in the header", () => {
    expect(bytes.toString("latin1", 0, 4)).toBe("SCLP");
    expect(bytes.readUInt16LE(4)).toBe(COLD_PACK_VERSION);
    expect(decodeColdPack(bytes)).toEqual(docs);
    expect(packDocumentIds(bytes)).toEqual(["doc_1", "doc_2", "doc_3"]);
  });

  it("refuses a flipped bit, a truncated pack and a single-document object", () => {
    const bad = Buffer.from(bytes);
    bad[bad.byteLength - 20] = (bad[bad.byteLength - 20] ?? 0) ^ 0x10;
    expect(decodeColdPack(bad)).toBe("checksum mismatch");
    expect(decodeColdPack(bytes.subarray(0, 10))).toBe("truncated");
    expect(decodeColdPack(encodeColdDocument(docs[0] as ColdDocument))).toBe("wrong magic");
  });
});
