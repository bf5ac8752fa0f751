import { readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type DocStore, openSqliteDocStore } from "@strata/docstore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLONE_HOLD_FILE_VARIABLE, CLONE_HOLD_PLATFORM_ENTRY } from "./clone-hold.js";
import { callApi, waitUntil } from "./harness.js";
import { type CrashRig, startCrashRig } from "./platform-process.js";

/**
 * A clone survives no crash, and leaves nothing behind (issue 12, ADR 0024/0028): the platform runs
 * as a real process, a clone is held before its commit (clone-hold-platform.ts) once it has
 * copied objects and staged vectors, the process is SIGKILLed, and started again on the same data.
 * The clone ends `failed` with a reason, and no store holds anything of it: no rows, no vector
 * files, no object bytes under its prefix.
 */
const URI = "strata://test@v1/embedding";
const DOCUMENTS = 40;
let rig: CrashRig;
let holdFile: string;

beforeAll(async () => {
  rig = await startCrashRig("strata-e2e-clone-crash-");
  holdFile = join(rig.dataDir, "clone-hold");
}, 60_000);
afterAll(async () => {
  await rig?.close();
});

const NAMESPACE_TABLES = ["collections", "documents", "taxonomies", "buckets", "bucket_objects"];

/** Rows per table of the namespace service's store that belong to `namespaceId`. */
async function rowsOf(namespaceId: string): Promise<Record<string, number>> {
  const store: DocStore = openSqliteDocStore({ path: join(rig.dataDir, "namespace.db") });
  try {
    const counts: Record<string, number> = {};
    for (const table of NAMESPACE_TABLES)
      counts[table] = await store.table(table).count({ namespace_id: namespaceId });
    counts.namespaces = (await store.table("namespaces").get(namespaceId)) === undefined ? 0 : 1;
    return counts;
  } finally {
    await store.close();
  }
}

/**
 * Every file of the namespace service's object store and hot index that names the namespace: in
 * its path (object bytes live under `<namespace id>/`) or in its text (a vector space's directory
 * is a hash; its descriptor names the namespace).
 */
async function filesNaming(namespaceId: string): Promise<string[]> {
  const found: string[] = [];
  for (const root of ["namespace", "namespace-hot-index"]) {
    const entries = await readdir(join(rig.dataDir, root), { recursive: true, withFileTypes: true });
    for (const entry of entries.filter((e) => e.isFile())) {
      const path = join(entry.parentPath, entry.name);
      if (path.includes(namespaceId)) found.push(path);
      else if ((await stat(path)).size < 1024 * 1024 && (await readFile(path)).includes(namespaceId))
        found.push(path);
    }
  }
  return found;
}

describe("a clone interrupted by SIGKILL", () => {
  it("fails with a reason after the restart and leaves no orphans in any store", async () => {
    const launchHeld = () => rig.launch({ [CLONE_HOLD_FILE_VARIABLE]: holdFile }, CLONE_HOLD_PLATFORM_ENTRY);
    const first = await launchHeld();
    const key = await rig.adminKey();
    const call = <T = Record<string, unknown>>(
      url: string,
      method: string,
      path: string,
      body?: unknown,
      namespace?: string,
    ) =>
      callApi<T>(url, method, path, {
        key,
        ...(body === undefined ? {} : { body }),
        ...(namespace === undefined ? {} : { namespace }),
      });
    expect((await call(first.url, "POST", "/v1/namespaces", { namespace_name: "src" })).status).toBe(201);
    expect(
      (
        await call(
          first.url,
          "POST",
          "/v1/collections",
          {
            collection_name: "items",
            features: [{ feature_uri: URI, dimensions: 4 }],
          },
          "src",
        )
      ).status,
    ).toBe(201);
    for (let i = 0; i < DOCUMENTS; i++) {
      const made = await call(
        first.url,
        "POST",
        "/v1/collections/items/documents",
        {
          metadata: { n: i },
          features: { [URI]: [1, i, 2, 3] },
        },
        "src",
      );
      expect(made.status).toBe(201);
    }
    expect((await call(first.url, "POST", "/v1/buckets", { bucket_name: "raw" }, "src")).status).toBe(201);
    for (const name of ["a.txt", "b.txt"]) {
      const put = await fetch(`${first.url}/v1/buckets/raw/objects/${name}`, {
        method: "PUT",
        headers: { authorization: `Bearer ${key}`, "x-namespace": "src", "content-type": "text/plain" },
        body: `bytes of ${name}`,
      });
      expect(put.status).toBe(200);
    }

    await writeFile(holdFile, "");
    const accepted = await call<{ namespace: { namespace_id: string }; task_id: string }>(
      first.url,
      "POST",
      "/v1/namespaces/src/clone",
      { namespace_name: "doomed-clone" },
    );
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    const cloneId = accepted.body.namespace.namespace_id;
    // Held at its last step: objects copied, vectors staged.
    await waitUntil(async () => {
      const status = await call<{ progress: Record<string, number> }>(
        first.url,
        "GET",
        `/v1/namespaces/${cloneId}/clone-status`,
      );
      return status.body.progress.objects === 2 && status.body.progress.hot_vectors === DOCUMENTS;
    }, 30_000);
    // The listing below can see what a clone writes: its object bytes and its vector space.
    const written = await filesNaming(cloneId);
    expect(written.filter((path) => path.includes(join("objects", cloneId)))).toHaveLength(2);
    expect(written.some((path) => path.includes("namespace-hot-index"))).toBe(true);

    first.child.kill("SIGKILL");
    await first.exited;
    await rm(holdFile);

    const second = await launchHeld();
    const status = await call<{ status: string; reason: string | null; task_id: string }>(
      second.url,
      "GET",
      `/v1/namespaces/${cloneId}/clone-status`,
    );
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      task_id: accepted.body.task_id,
      status: "failed",
      reason: "The service stopped during the copy; nothing of it was kept",
    });
    expect((await call(second.url, "GET", `/v1/namespaces/${cloneId}`)).status).toBe(404);
    expect((await call(second.url, "GET", "/v1/namespaces/doomed-clone")).status).toBe(404);
    expect(await rowsOf(cloneId)).toEqual({
      collections: 0,
      documents: 0,
      taxonomies: 0,
      buckets: 0,
      bucket_objects: 0,
      namespaces: 0,
    });
    expect(await filesNaming(cloneId)).toEqual([]);

    // The source is whole, and its name can be cloned again.
    const docs = await call<{ data: unknown[] }>(
      second.url,
      "GET",
      "/v1/collections/items/documents?limit=100",
      undefined,
      "src",
    );
    expect(docs.body.data).toHaveLength(DOCUMENTS);
    const again = await call<{ namespace: { namespace_id: string } }>(
      second.url,
      "POST",
      "/v1/namespaces/src/clone",
      {
        namespace_name: "doomed-clone",
      },
    );
    expect(again.status).toBe(202);
    second.child.kill("SIGTERM");
    await second.exited;
  }, 420_000);
});
