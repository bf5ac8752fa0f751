import { describe, expect, it } from "vitest";
import type { HotIndex } from "../port.js";
import type { HotIndexContractOptions, OpenHotIndex } from "./harness.js";
import { freshSpace, randomRecords, unwrap } from "./harness.js";

const ref = (id: string) => ({ collectionId: "col_a", id });

/**
 * Staged writes (ADR 0013). Adapters with a log of their own keep staged records invisible until
 * committed and list unsettled ones after a restart; the others write them at once and never have
 * anything in doubt, which the last test checks for them.
 */
export function stagingContract(open: OpenHotIndex, options: HotIndexContractOptions): void {
  const withIndex = async (work: (index: HotIndex) => Promise<void>) => {
    const index = await open("staging");
    try {
      await work(index);
    } finally {
      await index.close();
    }
  };

  describe.skipIf(!options.stagesInvisibly)("staged writes", () => {
    it("keeps staged records invisible until committed; a partial commit applies only the refs named", () =>
      withIndex(async (index) => {
        const space = freshSpace("cosine", 8);
        const records = randomRecords(3, 8, 61);
        unwrap(await index.stage(space, "w1", records));
        expect(unwrap(await index.count(space))).toBe(0);
        expect(unwrap(await index.get(space, [ref("doc_0")]))).toEqual([]);
        const query = records[0]?.vector ?? [];
        expect(unwrap(await index.search(space, { vector: query, k: 3 }))).toEqual([]);
        const staged = unwrap(await index.staged()).filter((w) => w.space.namespaceId === space.namespaceId);
        expect(staged.map((w) => [w.writeId, w.refs.map((r) => r.id)])).toEqual([
          ["w1", ["doc_0", "doc_1", "doc_2"]],
        ]);
        expect((await index.stage(space, "w1", records)).ok).toBe(false);

        unwrap(await index.commit(space, "w1", [ref("doc_0"), ref("doc_2")]));
        expect(unwrap(await index.count(space))).toBe(2);
        const hits = unwrap(await index.search(space, { vector: query, k: 3 }));
        expect(hits.map((h) => h.id).sort()).toEqual(["doc_0", "doc_2"]);
        expect(unwrap(await index.staged()).some((w) => w.space.namespaceId === space.namespaceId)).toBe(
          false,
        );
        // Settling twice, or an id never staged, changes nothing.
        unwrap(await index.commit(space, "w1"));
        unwrap(await index.abort(space, "never"));
        expect(unwrap(await index.count(space))).toBe(2);
      }));

    it("drops an aborted write, and a commit replaces what the records' ids held", () =>
      withIndex(async (index) => {
        const space = freshSpace("euclidean", 4);
        const [first] = randomRecords(1, 4, 62, () => ({ payload: { v: 1 } }));
        const [second] = randomRecords(1, 4, 63, () => ({ payload: { v: 2 } }));
        if (first === undefined || second === undefined) throw new Error("no records");
        unwrap(await index.upsert(space, [first]));
        unwrap(await index.stage(space, "gone", [second]));
        unwrap(await index.abort(space, "gone"));
        unwrap(await index.commit(space, "gone"));
        expect(unwrap(await index.get(space, [ref("doc_0")])).map((v) => v.payload)).toEqual([{ v: 1 }]);
        unwrap(await index.stage(space, "kept", [second]));
        unwrap(await index.commit(space, "kept"));
        const [got] = unwrap(await index.get(space, [ref("doc_0")]));
        expect(got?.payload).toEqual({ v: 2 });
        expect(Array.from(got?.vector ?? [])).toEqual(Array.from(second.vector));
        expect(unwrap(await index.count(space))).toBe(1);
      }));
  });

  describe.skipIf(!options.stagesInvisibly || !options.persistent)("staged writes across a restart", () => {
    it("lists a write staged but never settled after a reopen, still invisible; settled ones are gone", async () => {
      const space = freshSpace("dot", 8);
      const records = randomRecords(4, 8, 64);
      const first = await open("staging-restart");
      unwrap(await first.stage(space, "doubt", records.slice(0, 2)));
      unwrap(await first.stage(space, "done", records.slice(2, 3)));
      unwrap(await first.commit(space, "done"));
      unwrap(await first.stage(space, "dropped", records.slice(3)));
      unwrap(await first.abort(space, "dropped"));
      await first.close();

      const second = await open("staging-restart");
      try {
        const staged = unwrap(await second.staged()).filter((w) => w.space.namespaceId === space.namespaceId);
        expect(staged.map((w) => [w.writeId, w.refs.map((r) => r.id)])).toEqual([
          ["doubt", ["doc_0", "doc_1"]],
        ]);
        expect(staged[0]?.space).toEqual(space);
        expect(unwrap(await second.count(space))).toBe(1);
        unwrap(await second.commit(space, "doubt", [ref("doc_1")]));
        const got = unwrap(await second.get(space, [ref("doc_0"), ref("doc_1"), ref("doc_2"), ref("doc_3")]));
        expect(got.map((v) => v.id)).toEqual(["doc_1", "doc_2"]);
        expect(Array.from(got[0]?.vector ?? [])).toEqual(Array.from(records[1]?.vector ?? []));
      } finally {
        await second.close();
      }
    });
  });

  describe.skipIf(options.stagesInvisibly === true)("staged writes (written at once)", () => {
    it("writes staged records at once and has nothing in doubt", () =>
      withIndex(async (index) => {
        const space = freshSpace("cosine", 8);
        unwrap(await index.stage(space, "w", randomRecords(2, 8, 65)));
        expect(unwrap(await index.count(space))).toBe(2);
        unwrap(await index.commit(space, "w"));
        expect(unwrap(await index.count(space))).toBe(2);
        expect(unwrap(await index.staged())).toEqual([]);
      }));
  });
}
