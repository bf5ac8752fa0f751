import { spawn } from "node:child_process";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type TempDir, tempDir } from "@strata/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { holdWhileFileExists } from "./clone-hold.js";
import {
  type ApiResponse,
  expectErrorBody,
  startTestPlatform,
  type TestPlatform,
  waitUntil,
} from "./harness.js";

// Namespace clones through the gateway (issue 12, ADR 0024/0028), on the platform as `npm start`
// runs it. A clone is held open before its commit by the platform's beforeCloneCommit (while the
// hold file exists the copy waits), so its 409s, progress and cancel are watched without racing a timer.

const URI = "strata://test@v1/embedding";
const SOURCE = "clone-source";

let platform: TestPlatform;
let hold: TempDir;
let holdFile: string;

type CloneStatus = {
  task_id: string;
  namespace_id: string;
  source_namespace_id: string | null;
  status: string;
  progress: Record<string, number>;
  reason: string | null;
};
type Accepted = {
  namespace: { namespace_id: string; namespace_name: string; description: string };
  source_namespace_id: string;
  status: string;
  task_id: string;
};
type Execution = {
  results: Array<{ document_id: string; score: number; metadata: Record<string, unknown> }>;
};

const call = <T = Record<string, unknown>>(
  method: string,
  path: string,
  namespace?: string,
  body?: unknown,
) =>
  platform.call<T>(method, path, {
    ...(namespace === undefined ? {} : { namespace }),
    ...(body === undefined ? {} : { body }),
  });

function expectStatus(answer: ApiResponse, status: number): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
}

const ITEMS: Array<[string, number[], string]> = [
  ["near", [1, 0, 0], "a"],
  ["close", [1, 0.3, 0], "b"],
  ["mid", [1, 1, 0], "a"],
  ["far", [0, 0, 1], "a"],
];
const OBJECTS: Record<string, string> = {
  "a.txt": "alpha bytes",
  "dir/b.txt": "beta, somewhat longer bytes",
};

async function upload(namespace: string, key: string, text: string): Promise<void> {
  const answer = await platform.call("PUT", `/v1/buckets/raw/objects/${encodeURIComponent(key)}`, {
    namespace,
    body: text,
    headers: { "content-type": "text/plain" },
  });
  expectStatus(answer, 200);
}

async function download(namespace: string, key: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${platform.url}/v1/buckets/raw/objects/${encodeURIComponent(key)}`, {
    headers: { authorization: `Bearer ${platform.adminKey}`, "x-namespace": namespace },
  });
  return { status: response.status, text: await response.text() };
}

async function startClone(name: string, extra: Record<string, unknown> = {}): Promise<Accepted> {
  const answer = await call<Accepted>("POST", `/v1/namespaces/${SOURCE}/clone`, undefined, {
    namespace_name: name,
    ...extra,
  });
  expectStatus(answer, 202);
  return answer.body;
}

const cloneStatus = (namespaceId: string) =>
  call<CloneStatus>("GET", `/v1/namespaces/${namespaceId}/clone-status`);

async function waitForClone(namespaceId: string, done: (s: CloneStatus) => boolean): Promise<CloneStatus> {
  let last: CloneStatus | undefined;
  await waitUntil(async () => {
    const answer = await cloneStatus(namespaceId);
    expectStatus(answer, 200);
    last = answer.body;
    return done(last);
  }, 30_000);
  if (last === undefined) throw new Error("no clone status");
  return last;
}

/** The nearest documents to [1,0,0] in `namespace`, by a retriever created there for the probe. */
async function search(namespace: string, retrieverName: string): Promise<Execution["results"]> {
  const created = await call("POST", "/v1/retrievers", namespace, {
    retriever_name: retrieverName,
    collection_ids: ["items"],
    feature_uri: URI,
    top_k: 10,
  });
  expectStatus(created, 201);
  const found = await call<Execution>("POST", `/v1/retrievers/${retrieverName}/execute`, namespace, {
    query: { vector: [1, 0, 0] },
  });
  expectStatus(found, 200);
  return found.body.results;
}

interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The `strata` CLI as people run it, a child process; `onStdout` sees its output as it comes. */
function strata(
  args: readonly string[],
  onStdout: (text: string) => void = () => undefined,
): Promise<CliRun> {
  const child = spawn(process.execPath, ["libs/cli/bin/strata.mjs", ...args], {
    cwd: join(import.meta.dirname, "../.."),
    env: { ...process.env, STRATA_URL: platform.url, STRATA_API_KEY: platform.adminKey, NO_COLOR: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
    onStdout(stdout);
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, stdout, stderr })));
}

beforeAll(async () => {
  hold = await tempDir("clone-hold-");
  holdFile = join(hold.path, "hold");
  platform = await startTestPlatform({}, { beforeCloneCommit: holdWhileFileExists(holdFile) });
  expectStatus(
    await call("POST", "/v1/namespaces", undefined, { namespace_name: SOURCE, description: "src" }),
    201,
  );
  expectStatus(
    await call("POST", "/v1/collections", SOURCE, {
      collection_name: "items",
      features: [{ feature_uri: URI, dimensions: 3, metric: "cosine" }],
      indexed_fields: ["category"],
    }),
    201,
  );
  for (const [id, vector, category] of ITEMS) {
    expectStatus(
      await call("POST", "/v1/collections/items/documents", SOURCE, {
        document_id: id,
        metadata: { category },
        features: { [URI]: vector },
      }),
      201,
    );
  }
  expectStatus(
    await call("POST", "/v1/taxonomies", SOURCE, {
      taxonomy_name: "genres",
      nodes: [{ label: "music" }, { label: "jazz", parent: "music" }],
    }),
    201,
  );
  expectStatus(await call("POST", "/v1/buckets", SOURCE, { bucket_name: "raw" }), 201);
  for (const [key, text] of Object.entries(OBJECTS)) await upload(SOURCE, key, text);
}, 300_000);

afterAll(async () => {
  await platform?.stop();
  await hold?.remove();
});

describe("namespace clones through the gateway", () => {
  it("copies collections, documents, vectors, taxonomies and objects; the clone answers the same searches", async () => {
    const accepted = await startClone("clone-branch");
    expect(accepted).toMatchObject({
      namespace: { namespace_name: "clone-branch", description: "src" },
      status: "cloning",
    });
    expect(accepted.task_id).toMatch(/^tsk_/);
    const source = await call<{ namespace_id: string }>("GET", `/v1/namespaces/${SOURCE}`);
    expect(accepted.source_namespace_id).toBe(source.body.namespace_id);
    const cloneId = accepted.namespace.namespace_id;
    expect(cloneId).not.toBe(source.body.namespace_id);

    const ready = await waitForClone(cloneId, (s) => s.status !== "cloning");
    const bytes = Object.values(OBJECTS).reduce((sum, text) => sum + Buffer.byteLength(text), 0);
    expect(ready).toEqual({
      task_id: accepted.task_id,
      namespace_id: cloneId,
      source_namespace_id: source.body.namespace_id,
      status: "ready",
      progress: expect.objectContaining({
        collections: 1,
        documents: ITEMS.length,
        hot_vectors: ITEMS.length,
        taxonomies: 1,
        buckets: 1,
        objects: Object.keys(OBJECTS).length,
        bytes,
      }),
      reason: null,
    });

    // Reachable by name now, like any namespace.
    const byName = await call<{ namespace_id: string }>("GET", "/v1/namespaces/clone-branch");
    expectStatus(byName, 200);
    expect(byName.body.namespace_id).toBe(cloneId);

    const docs = await call<{
      data: Array<{ document_id: string; metadata: unknown; namespace_id: string }>;
    }>("GET", "/v1/collections/items/documents?limit=100", cloneId);
    expectStatus(docs, 200);
    expect(docs.body.data.map((d) => d.document_id).sort()).toEqual(ITEMS.map(([id]) => id).sort());
    expect(docs.body.data.every((d) => d.namespace_id === cloneId)).toBe(true);
    const taxonomy = await call<{ nodes: unknown[] }>("GET", "/v1/taxonomies/genres", cloneId);
    expectStatus(taxonomy, 200);
    expect(taxonomy.body.nodes).toEqual([
      { label: "music", parent: null },
      { label: "jazz", parent: "music" },
    ]);
    for (const [key, text] of Object.entries(OBJECTS))
      expect(await download(cloneId, key)).toEqual({ status: 200, text });

    const inSource = await search(SOURCE, "probe");
    const inClone = await search(cloneId, "probe");
    expect(inSource.map((r) => r.document_id)).toEqual(["near", "close", "mid", "far"]);
    expect(inClone.map((r) => [r.document_id, r.metadata])).toEqual(
      inSource.map((r) => [r.document_id, r.metadata]),
    );
    for (const [i, r] of inClone.entries()) expect(r.score).toBeCloseTo(inSource[i]?.score ?? Number.NaN, 5);

    // Writes on either side never show on the other.
    expectStatus(
      await call("POST", "/v1/collections/items/documents", SOURCE, {
        document_id: "source-only",
        metadata: { category: "a" },
        features: { [URI]: [1, 0.1, 0] },
      }),
      201,
    );
    expectStatus(await call("DELETE", "/v1/collections/items/documents/near", cloneId), 200);
    expectStatus(
      await call("PATCH", "/v1/collections/items/documents/mid", cloneId, { metadata: { category: "z" } }),
      200,
    );
    await upload(cloneId, "clone-only.txt", "only in the clone");
    expectStatus(await call("DELETE", "/v1/taxonomies/genres", SOURCE), 200);

    expectStatus(await call("GET", "/v1/collections/items/documents/source-only", cloneId), 404);
    const near = await call("GET", "/v1/collections/items/documents/near", SOURCE);
    expectStatus(near, 200);
    const mid = await call<{ metadata: Record<string, unknown> }>(
      "GET",
      "/v1/collections/items/documents/mid",
      SOURCE,
    );
    expect(mid.body.metadata).toEqual({ category: "a" });
    expect((await download(SOURCE, "clone-only.txt")).status).toBe(404);
    expectStatus(await call("GET", "/v1/taxonomies/genres", cloneId), 200);
    const sourceAfter = await call<Execution>("POST", "/v1/retrievers/probe/execute", SOURCE, {
      query: { vector: [1, 0, 0] },
    });
    const cloneAfter = await call<Execution>("POST", "/v1/retrievers/probe/execute", cloneId, {
      query: { vector: [1, 0, 0] },
    });
    expect(sourceAfter.body.results.map((r) => r.document_id)).toEqual([
      "near",
      "source-only",
      "close",
      "mid",
      "far",
    ]);
    expect(cloneAfter.body.results.map((r) => r.document_id)).toEqual(["close", "mid", "far"]);
  }, 90_000);

  it("answers 409 to every request naming a running clone, shows its progress, and cancels it leaving nothing", async () => {
    await writeFile(holdFile, "");
    let cloneId = "";
    try {
      const accepted = await startClone("held-branch");
      cloneId = accepted.namespace.namespace_id;
      // The hold is the copy's last step: once every count is in, the copy is waiting on the file.
      const running = await waitForClone(cloneId, (s) => s.progress.objects === Object.keys(OBJECTS).length);
      expect(running).toMatchObject({ status: "cloning", reason: null, task_id: accepted.task_id });
      // The source as the first test left it: one document more, its taxonomy deleted.
      expect(running.progress).toMatchObject({
        collections: 1,
        documents: ITEMS.length + 1,
        taxonomies: 0,
        buckets: 1,
      });

      // The namespace service's own routes, and routes served by acl-query, webhooks and manifests.
      for (const answer of [
        await call("GET", `/v1/namespaces/${cloneId}`),
        await call("GET", "/v1/namespaces/held-branch"),
        await call("GET", "/v1/collections", cloneId),
        await call("GET", "/v1/collections/items/documents", "held-branch"),
        await call("GET", "/v1/buckets", cloneId),
        await call("GET", "/v1/retrievers", cloneId),
        await call("GET", "/v1/webhooks", cloneId),
        await call("GET", "/v1/manifest/export", cloneId),
      ]) {
        const { message, details } = expectErrorBody(answer, 409, "ConflictError");
        expect(message).toBe("Namespace held-branch is still being cloned; poll its clone-status");
        expect(details).toMatchObject({ namespace_id: cloneId, clone_status: "cloning" });
      }

      const cancelled = await call<CloneStatus>("POST", `/v1/namespaces/${cloneId}/clone/cancel`);
      expectStatus(cancelled, 200);
      expect(cancelled.body.status).toBe("cancelled");
    } finally {
      await rm(holdFile, { force: true });
    }
    // Rolled back and cleaned up: the task says why, the namespace and its name are gone.
    const ended = await waitForClone(cloneId, (s) => s.reason !== null);
    expect(ended).toMatchObject({ status: "cancelled", reason: "Cancelled on request" });
    expectErrorBody(await call("GET", `/v1/namespaces/${cloneId}`), 404, "NotFoundError");
    expectErrorBody(await call("GET", "/v1/namespaces/held-branch"), 404, "NotFoundError");
    expectErrorBody(await call("GET", "/v1/collections", cloneId), 404, "NotFoundError");

    // The name is free again; a clone that is ready cannot be cancelled.
    const again = await startClone("held-branch");
    const ready = await waitForClone(again.namespace.namespace_id, (s) => s.status !== "cloning");
    expect(ready.status).toBe("ready");
    const late = expectErrorBody(
      await call("POST", `/v1/namespaces/${again.namespace.namespace_id}/clone/cancel`),
      409,
      "ConflictError",
    );
    expect(late.message).toContain("is ready already");
  }, 90_000);

  it("refuses bad bodies, taken names, unknown or out-of-reach sources and keys without admin", async () => {
    const clone = (body: unknown, source = SOURCE, key?: string) =>
      platform.call("POST", `/v1/namespaces/${source}/clone`, {
        body,
        ...(key === undefined ? {} : { key }),
      });
    expectErrorBody(await clone({}), 422, "ValidationError");
    expectErrorBody(await clone({ namespace_name: "x", extra: 1 }), 422, "ValidationError");
    expectErrorBody(await clone({ namespace_name: "x", include_webhooks: "yes" }), 422, "ValidationError");
    expectErrorBody(await clone("not json"), 400, "BadRequestError");
    expectErrorBody(await clone({ namespace_name: "bad name!" }), 422, "ValidationError");
    const taken = expectErrorBody(await clone({ namespace_name: SOURCE }), 409, "AlreadyExistsError");
    expect(taken.details).toMatchObject({ namespace_name: SOURCE });
    expectErrorBody(await clone({ namespace_name: "y" }, "ns_1111111111111111111111"), 404, "NotFoundError");
    expectErrorBody(await clone({ namespace_name: "y" }, "no-such-namespace"), 404, "NotFoundError");
    expectErrorBody(
      await call("GET", "/v1/namespaces/ns_1111111111111111111111/clone-status"),
      404,
      "NotFoundError",
    );

    // A key confined to another namespace sees the source as absent; a read key may not clone.
    expectStatus(await call("POST", "/v1/namespaces", undefined, { namespace_name: "elsewhere" }), 201);
    const confined = await call<{ api_key: string }>("POST", "/v1/api-keys", undefined, {
      name: "confined",
      permissions: ["admin"],
      namespaces: ["elsewhere"],
    });
    expectStatus(confined, 201);
    expectErrorBody(
      await clone({ namespace_name: "y" }, SOURCE, confined.body.api_key),
      404,
      "NotFoundError",
    );
    const reader = await call<{ api_key: string }>("POST", "/v1/api-keys", undefined, {
      name: "reader",
      permissions: ["read"],
    });
    expectStatus(reader, 201);
    expectErrorBody(await clone({ namespace_name: "y" }, SOURCE, reader.body.api_key), 403, "ForbiddenError");
  }, 60_000);

  it("strata namespace clone follows the copy: exits 0 when ready, 1 with the reason when cancelled or refused", async () => {
    const ready = await strata(["namespace", "clone", SOURCE, "cli-branch", "--description", "from the CLI"]);
    expect(ready.code, ready.stderr).toBe(0);
    expect(ready.stdout).toMatch(/^Cloning ns_\S+ into cli-branch \(ns_\S+, tsk_\S+\)\n/);
    expect(ready.stdout).toMatch(/Ready: cli-branch \(ns_\S+\)\n$/);
    // Not a terminal: plain progress lines, no bar redrawn with escape codes.
    expect(ready.stderr).toMatch(
      /^ready: collections 1 · documents 5 · hot_vectors 5 · buckets 1 · objects 2 · bytes \d+ B · hot_documents 5\n$/m,
    );
    expect(ready.stderr).not.toContain("\u001b[");
    const made = await call<{ description: string }>("GET", "/v1/namespaces/cli-branch");
    expect(made.body.description).toBe("from the CLI");

    const taken = await strata(["namespace", "clone", SOURCE, "cli-branch"]);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain("(409 AlreadyExistsError)");
    const missing = await strata(["namespace", "clone", "no-such-namespace", "x"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("(404 NotFoundError)");

    const noWait = await strata(["namespace", "clone", SOURCE, "cli-nowait", "--no-wait"]);
    expect(noWait.code).toBe(0);
    expect(noWait.stdout).not.toContain("Ready");
    const noWaitId = /\((ns_\S+), tsk_/.exec(noWait.stdout)?.[1] ?? "";
    expect((await waitForClone(noWaitId, (s) => s.status !== "cloning")).status).toBe("ready");

    await writeFile(holdFile, "");
    let cloneId = "";
    let cancelled: CliRun;
    try {
      const run = strata(["namespace", "clone", SOURCE, "cli-cancelled"], (out) => {
        cloneId = /\((ns_\S+), tsk_/.exec(out)?.[1] ?? cloneId;
      });
      await waitUntil(async () => cloneId !== "", 60_000);
      await waitForClone(cloneId, (s) => (s.progress.objects ?? 0) > 0);
      expectStatus(await call("POST", `/v1/namespaces/${cloneId}/clone/cancel`), 200);
      await rm(holdFile, { force: true });
      cancelled = await run;
    } finally {
      await rm(holdFile, { force: true });
    }
    expect(cancelled.code).toBe(1);
    expect(cancelled.stderr).toMatch(/^cloning: collections 1 /m);
    expect(cancelled.stderr).toContain("error: the clone cancelled: Cancelled on request\n");
  }, 180_000);
});
