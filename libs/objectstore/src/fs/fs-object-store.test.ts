import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { bytesOf, readAll } from "../contract/harness.js";
import { openFsObjectStore } from "./fs-object-store.js";

const base = mkdtempSync(join(tmpdir(), "strata-fs-objectstore-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let n = 0;
const freshRoot = (): string => {
  n += 1;
  return join(base, `root${n}`);
};

describe("filesystem ObjectStore", () => {
  it("keeps objects across a reopen", async () => {
    const root = freshRoot();
    const first = await openFsObjectStore({ root });
    await first.put("ns_1/a", bytesOf("kept"), { contentType: "text/plain", metadata: { k: "v" } });
    await first.close();
    const second = await openFsObjectStore({ root });
    const got = await second.get("ns_1/a");
    if (!got.ok) throw new Error("lost after reopen");
    expect(got.value.info).toMatchObject({ size: 4, contentType: "text/plain", metadata: { k: "v" } });
    expect((await readAll(got.value.body)).toString()).toBe("kept");
  });

  it("leaves no temp file behind after failed or aborted puts", async () => {
    const root = freshRoot();
    const store = await openFsObjectStore({ root });
    expect((await store.put("a", bytesOf("too long"), { maxBytes: 3 })).ok).toBe(false);
    expect((await store.put("a", bytesOf("x"), { expectedSha256: "00" })).ok).toBe(false);
    const broken = new Readable({
      read() {
        this.push(Buffer.alloc(1000));
        this.destroy(new Error("client went away"));
      },
    });
    await expect(store.put("a", broken)).rejects.toThrow(/client went away/);
    expect(readdirSync(join(root, "tmp"))).toEqual([]);
    expect(readdirSync(join(root, "objects"))).toEqual([]);
  });

  it("serves the version it opened even if the key is replaced while streaming", async () => {
    const store = await openFsObjectStore({ root: freshRoot() });
    await store.put("k", bytesOf("old body"));
    const got = await store.get("k");
    if (!got.ok) throw new Error("get failed");
    await store.put("k", bytesOf("new"));
    expect(await store.delete("k")).toBe(true);
    expect((await readAll(got.value.body)).toString()).toBe("old body");
  });

  it("never follows a symbolic link out of the root", async () => {
    const root = freshRoot();
    const outsideRoot = freshRoot();
    const outside = await openFsObjectStore({ root: outsideRoot });
    await outside.put("secret", bytesOf("outside the store"));
    const store = await openFsObjectStore({ root });
    symlinkSync(join(outsideRoot, "objects"), join(root, "objects", "evil"));
    await expect(store.get("evil/secret")).rejects.toThrow(/outside the store root/);
    await expect(store.head("evil/secret")).rejects.toThrow(/outside the store root/);
    await expect(store.put("evil/planted", bytesOf("x"))).rejects.toThrow(/outside the store root/);
    await expect(store.copy("evil/secret", "mine")).rejects.toThrow(/outside the store root/);
    expect(await outside.head("planted")).toBeUndefined();
    expect((await store.list("", { limit: 10 })).items).toEqual([]);
    // A symlinked object file is refused too (O_NOFOLLOW), not read.
    symlinkSync(join(outsideRoot, "objects", "secret~o"), join(root, "objects", "link~o"));
    await expect(store.get("link")).rejects.toThrow();
  });

  it("removes stale temp files at open and keeps fresh ones", async () => {
    const root = freshRoot();
    mkdirSync(join(root, "tmp"), { recursive: true });
    writeFileSync(join(root, "tmp", "old.tmp"), "x");
    writeFileSync(join(root, "tmp", "fresh.tmp"), "x");
    const dayAgo = new Date(Date.now() - 24 * 3600 * 1000);
    utimesSync(join(root, "tmp", "old.tmp"), dayAgo, dayAgo);
    await openFsObjectStore({ root });
    expect(readdirSync(join(root, "tmp"))).toEqual(["fresh.tmp"]);
  });

  it("reports a corrupt object file instead of serving it", async () => {
    const root = freshRoot();
    const store = await openFsObjectStore({ root });
    await store.put("c", bytesOf("fine"));
    writeFileSync(join(root, "objects", "c~o"), "not an object file at all");
    await expect(store.head("c")).rejects.toThrow(/Corrupt object file/);
  });

  it("prunes directories emptied by delete and deletePrefix", async () => {
    const root = freshRoot();
    const store = await openFsObjectStore({ root });
    await store.put("ns_1/bkt_1/a", bytesOf("a"));
    await store.put("ns_1/bkt_2/deep/b", bytesOf("b"));
    await store.put("ns_2/c", bytesOf("c"));
    expect(await store.delete("ns_2/c")).toBe(true);
    expect(await store.deletePrefix("ns_1/")).toBe(2);
    expect(readdirSync(join(root, "objects"))).toEqual([]);
    expect(await store.ping()).toBe(true);
  });
});
