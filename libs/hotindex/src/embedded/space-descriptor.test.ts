import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { tempDir } from "@strata/testkit";
import { afterAll, describe, expect, it } from "vitest";
import type { HotSpace } from "../port.js";
import { spaceKey } from "../space-key.js";
import { openEmbeddedHotIndex } from "./embedded-hot-index.js";
import { readSpaceDescriptor, writeSpaceDescriptor } from "./space-descriptor.js";

const base = await tempDir("strata-space-descriptor");
afterAll(() => base.remove());

const space: HotSpace = {
  namespaceId: "ns_1",
  featureUri: "strata://test@v1/embedding",
  dimensions: 3,
  metric: "cosine",
};

describe("space descriptor", () => {
  it("reads back what was written, and leaves no temporary file", async () => {
    const dir = join(base.path, "round-trip");
    await mkdir(dir);
    writeSpaceDescriptor(dir, space);
    expect(await readSpaceDescriptor(dir)).toEqual(space);
    expect(await readdir(dir)).toEqual(["space.json"]);
  });

  it.each([
    ["a missing", undefined],
    ["an empty (a process killed while writing it)", ""],
    ["a torn", '{"namespaceId":"ns_1","feat'],
    ["a non-space", '{"namespaceId":"ns_1"}'],
  ])("reads %s descriptor as no space", async (_name, text) => {
    const dir = join(base.path, `bad-${Math.random().toString(36).slice(2)}`);
    await mkdir(dir);
    if (text !== undefined) await writeFile(join(dir, "space.json"), text);
    expect(await readSpaceDescriptor(dir)).toBeUndefined();
  });

  it("an index whose space directory was left with an empty descriptor opens, and the space takes writes", async () => {
    const dir = join(base.path, "index");
    const spaceDir = join(dir, `space-${spaceKey(space)}`);
    await mkdir(spaceDir, { recursive: true });
    await writeFile(join(spaceDir, "space.json"), "");

    const index = await openEmbeddedHotIndex({ dir });
    try {
      const written = await index.upsert(space, [
        { id: "doc_1", collectionId: "col_1", vector: [1, 0, 0], payload: {} },
      ]);
      expect(written.ok).toBe(true);
    } finally {
      await index.close();
    }

    const reopened = await openEmbeddedHotIndex({ dir });
    try {
      const hits = await reopened.search(space, { vector: [1, 0, 0], k: 1 });
      expect(hits.ok && hits.value.map((hit) => hit.id)).toEqual(["doc_1"]);
    } finally {
      await reopened.close();
    }
  });
});
