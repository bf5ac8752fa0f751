import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { bytesOf, type ContractContext, chunkedStream, readAll, sha256Hex } from "./harness.js";

export function putGetContract(ctx: ContractContext): void {
  describe("put / get / head", () => {
    it("streams a multi-MB body of unknown length in and out", async () => {
      const bytes = randomBytes(5 * 1024 * 1024 + 123);
      const key = `${ctx.prefix()}big/blob.bin`;
      const put = await ctx.store().put(key, chunkedStream(bytes));
      if (!put.ok) throw new Error(`put failed: ${put.error}`);
      expect(put.value).toMatchObject({ key, size: bytes.byteLength, sha256: sha256Hex(bytes) });
      const got = await ctx.store().get(key);
      if (!got.ok) throw new Error("get failed");
      expect(got.value.info).toMatchObject({ key, size: bytes.byteLength, sha256: sha256Hex(bytes) });
      const back = await readAll(got.value.body);
      expect(back.byteLength).toBe(bytes.byteLength);
      expect(back.equals(bytes)).toBe(true);
    });

    it("round-trips content type, metadata and a byte array body", async () => {
      const key = `${ctx.prefix()}doc.json`;
      const body = bytesOf('{"hello":"wörld"}');
      const metadata = { "original-name": "résumé ü.json", uploader: "key_1", empty: "" };
      const put = await ctx
        .store()
        .put(key, body, { contentType: "application/json; charset=utf-8", metadata });
      expect(put.ok).toBe(true);
      const head = await ctx.store().head(key);
      expect(head).toMatchObject({
        key,
        size: body.byteLength,
        sha256: sha256Hex(body),
        contentType: "application/json; charset=utf-8",
        metadata,
      });
      expect(head?.lastModified).toBeInstanceOf(Date);
      expect(Math.abs((head?.lastModified.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
      const got = await ctx.store().get(key);
      if (!got.ok) throw new Error("get failed");
      expect(got.value.info.metadata).toEqual(metadata);
      expect(got.value.info.contentType).toBe("application/json; charset=utf-8");
      expect((await readAll(got.value.body)).toString("utf8")).toBe('{"hello":"wörld"}');
    });

    it("defaults the content type and stores an empty body", async () => {
      const key = `${ctx.prefix()}empty`;
      const put = await ctx.store().put(key, new Uint8Array(0));
      expect(put.ok && put.value).toMatchObject({
        size: 0,
        sha256: sha256Hex(new Uint8Array(0)),
        metadata: {},
      });
      const got = await ctx.store().get(key);
      if (!got.ok) throw new Error("get failed");
      expect(got.value.info.contentType).toBe("application/octet-stream");
      expect((await readAll(got.value.body)).byteLength).toBe(0);
    });

    it("replaces an existing object with its new body, type and metadata", async () => {
      const key = `${ctx.prefix()}x`;
      await ctx
        .store()
        .put(key, bytesOf("first version"), { contentType: "text/plain", metadata: { v: "1" } });
      await ctx.store().put(key, bytesOf("second"), { contentType: "text/csv", metadata: { w: "2" } });
      const got = await ctx.store().get(key);
      if (!got.ok) throw new Error("get failed");
      expect(got.value.info).toMatchObject({ size: 6, contentType: "text/csv", metadata: { w: "2" } });
      expect((await readAll(got.value.body)).toString()).toBe("second");
    });

    it("fails with too_large past maxBytes and leaves nothing behind", async () => {
      const p = ctx.prefix();
      const bytes = randomBytes(2 * 1024 * 1024);
      const put = await ctx.store().put(`${p}big`, chunkedStream(bytes), { maxBytes: 1024 * 1024 });
      expect(put).toEqual({ ok: false, error: "too_large" });
      expect(await ctx.store().head(`${p}big`)).toBeUndefined();
      expect((await ctx.store().get(`${p}big`)).ok).toBe(false);
      expect(await ctx.store().list(p, { limit: 10 })).toEqual({ items: [], nextCursor: null });
      const small = await ctx.store().put(`${p}small`, bytesOf("12345"), { maxBytes: 4 });
      expect(small).toEqual({ ok: false, error: "too_large" });
      expect(await ctx.store().list(p, { limit: 10 })).toEqual({ items: [], nextCursor: null });
    });

    it("accepts a body of exactly maxBytes", async () => {
      const put = await ctx
        .store()
        .put(`${ctx.prefix()}exact`, chunkedStream(randomBytes(1000), 7), { maxBytes: 1000 });
      expect(put.ok && put.value.size).toBe(1000);
    });

    it("keeps the previous object when a replacing put fails", async () => {
      const key = `${ctx.prefix()}keep`;
      await ctx.store().put(key, bytesOf("original"), { metadata: { v: "1" } });
      expect(await ctx.store().put(key, randomBytes(100), { maxBytes: 50 })).toEqual({
        ok: false,
        error: "too_large",
      });
      const wrong = await ctx
        .store()
        .put(key, bytesOf("other"), { expectedSha256: sha256Hex(bytesOf("nope")) });
      expect(wrong).toEqual({ ok: false, error: "checksum_mismatch" });
      const got = await ctx.store().get(key);
      if (!got.ok) throw new Error("get failed");
      expect(got.value.info.metadata).toEqual({ v: "1" });
      expect((await readAll(got.value.body)).toString()).toBe("original");
    });

    it("checks expectedSha256: a mismatch leaves nothing, a match (any case) is stored", async () => {
      const p = ctx.prefix();
      const bytes = randomBytes(300_000);
      const bad = await ctx
        .store()
        .put(`${p}bad`, chunkedStream(bytes), { expectedSha256: sha256Hex(randomBytes(8)) });
      expect(bad).toEqual({ ok: false, error: "checksum_mismatch" });
      expect(await ctx.store().head(`${p}bad`)).toBeUndefined();
      expect((await ctx.store().list(p, { limit: 10 })).items).toEqual([]);
      const expected = sha256Hex(bytes).toUpperCase();
      const good = await ctx.store().put(`${p}good`, chunkedStream(bytes), { expectedSha256: expected });
      expect(good.ok && good.value.sha256).toBe(sha256Hex(bytes));
    });

    it("reports not_found for a missing key", async () => {
      const key = `${ctx.prefix()}missing/obj`;
      expect(await ctx.store().get(key)).toEqual({ ok: false, error: "not_found" });
      expect(await ctx.store().head(key)).toBeUndefined();
    });

    it("ends concurrent puts to one key with one complete body", async () => {
      const key = `${ctx.prefix()}race`;
      const bodies = Array.from({ length: 6 }, (_, i) => randomBytes(200_000 + i * 7_919));
      const results = await Promise.all(
        bodies.map((body) => ctx.store().put(key, chunkedStream(body, 16_384))),
      );
      expect(results.every((result) => result.ok)).toBe(true);
      const got = await ctx.store().get(key);
      if (!got.ok) throw new Error("get failed");
      const back = await readAll(got.value.body);
      const winner = bodies.find((body) => body.equals(back));
      expect(winner).toBeDefined();
      expect(got.value.info).toMatchObject({ size: back.byteLength, sha256: sha256Hex(back) });
    });

    it("rejects malformed keys as bugs", async () => {
      const bad = [
        "",
        "/abs",
        "a//b",
        "a/../b",
        "..",
        "a/./b",
        "a b",
        "a\u0000b",
        "a/",
        "ü",
        "a\\b",
        "x".repeat(1025),
      ];
      for (const key of bad) {
        await expect(ctx.store().put(key, bytesOf("x")), JSON.stringify(key)).rejects.toThrow(
          /Invalid object key/,
        );
        await expect(ctx.store().get(key), JSON.stringify(key)).rejects.toThrow(/Invalid object key/);
        await expect(ctx.store().head(key), JSON.stringify(key)).rejects.toThrow(/Invalid object key/);
        await expect(ctx.store().delete(key), JSON.stringify(key)).rejects.toThrow(/Invalid object key/);
      }
      await expect(ctx.store().list("../", { limit: 1 })).rejects.toThrow(/Invalid object key prefix/);
      await expect(ctx.store().deletePrefix("")).rejects.toThrow(/Invalid object key prefix/);
      await expect(
        ctx.store().put(`${ctx.prefix()}k`, bytesOf("x"), { metadata: { "Bad Key": "v" } }),
      ).rejects.toThrow();
    });
  });
}
