/**
 * The limits `bench:search` prints beside its ingest figure, measured in the same run on the same
 * data (issue 14): what SQLite does with the same rows through the DocStore, what the hot index
 * does on its own in a worker thread, and how much CPU the platform (with its nats-server child)
 * spent per document — the figure that moves least when other work shares the machine.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";
import { OUTBOX_TABLE_SPEC } from "@strata/bus";
import { openSqliteDocStore } from "@strata/docstore";
import { ok } from "@strata/errors";

const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU seconds in a /proc stat file (a process's, or one thread's under task/). */
async function cpuSecondsOfStat(path: string): Promise<number> {
  const stat = await readFile(path, "utf8").catch(() => "");
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / CLOCK_TICKS_PER_SECOND;
}

/**
 * Where a process's CPU went: its main thread (the event loop every embedded service shares), the
 * process with its other threads (hot index workers, libuv, V8's GC helpers), and its tree.
 */
export async function cpuSecondsOf(pid: number): Promise<{ main: number; process: number; tree: number }> {
  return {
    main: await cpuSecondsOfStat(`/proc/${pid}/task/${pid}/stat`),
    process: await cpuSecondsOfStat(`/proc/${pid}/stat`),
    tree: await cpuSecondsOfTree(pid),
  };
}

/** User + system CPU seconds of a process and every process under it (nats-server). */
async function cpuSecondsOfTree(pid: number): Promise<number> {
  let seconds = await cpuSecondsOfStat(`/proc/${pid}/stat`);
  const tasks = await readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
  for (const task of tasks) {
    const children = await readFile(`/proc/${pid}/task/${task}/children`, "utf8").catch(() => "");
    for (const child of children.split(" ").filter(Boolean)) seconds += await cpuSecondsOfTree(Number(child));
  }
  return seconds;
}

/**
 * Rows per second SQLite takes for what one ingested document writes (its record and its
 * document.created outbox row, bodies of the platform's sizes), in transactions of one chunk.
 */
export async function sqliteInsertLimit(
  count: number,
  chunk: number,
): Promise<{ documents_per_second: number }> {
  const dir = await mkdtemp(join(tmpdir(), "strata-sqlite-limit-"));
  const store = openSqliteDocStore({ path: join(dir, "limit.db") });
  try {
    // The documents table's indexes as the namespace service declares them.
    await store.ensureTable({
      name: "documents",
      indexes: [{ fields: ["collection_id", "created_at"] }, { fields: ["namespace_id"] }],
    });
    await store.ensureTable(OUTBOX_TABLE_SPEC);
    const started = performance.now();
    for (let first = 0; first < count; first += chunk) {
      await store.transaction(async (tx) => {
        for (let i = first; i < Math.min(count, first + chunk); i++) {
          await tx.table("documents").insert(documentRow(i));
          await tx.table(OUTBOX_TABLE_SPEC.name).insert(outboxRow(i));
        }
        return ok(undefined);
      });
    }
    return { documents_per_second: Math.round(count / ((performance.now() - started) / 1000)) };
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function documentRow(i: number) {
  const at = new Date(1_760_000_000_000 + i).toISOString();
  return {
    id: `col_limit/d${i}`,
    document_id: `d${i}`,
    collection_id: "col_limit",
    namespace_id: "ns_limit",
    organization_id: "org_limit",
    metadata: { bucket: i % 100 },
    feature_uris: ["strata://bench@v1/embedding"],
    text: null,
    taxonomy_labels: [],
    _acl: { owner: null, read: [], write: [], public: false },
    tier: "hot",
    tier_changed_at: at,
    lineage: { batch_id: "batch_limit", batch_index: i },
    created_at: at,
    updated_at: at,
    vector_write_id: "00000000-0000-4000-8000-000000000000",
  };
}

function outboxRow(i: number) {
  return {
    id: `evt_limit_${i}`,
    seq: i,
    subject: "strata.events.document.created",
    envelope: JSON.stringify({ specversion: "1.0", id: `evt_limit_${i}`, data: documentRow(i) }),
  };
}

/** The hot index alone in a worker thread: upserts per second, and seconds until the graph is built. */
export function hotIndexWorkerLimit(
  vectors: Float32Array,
  dimensions: number,
  chunk: number,
): Promise<{ upserts_per_second: number; graph_built_seconds: number }> {
  const copy = vectors.slice();
  const worker = startTsWorker(new URL("./hot-index-upsert-worker.ts", import.meta.url), {
    workerData: { vectors: copy, dimensions, chunk },
    transferList: [copy.buffer],
  });
  return new Promise((resolve, reject) => {
    worker.once("message", (m: { upsertSeconds: number; builtSeconds: number }) => {
      resolve({
        upserts_per_second: Math.round(vectors.length / dimensions / m.upsertSeconds),
        graph_built_seconds: Math.round(m.builtSeconds * 10) / 10,
      });
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (code !== 0) reject(new Error(`the hot index worker exited with ${code}`));
    });
  });
}

/**
 * A worker thread running a TypeScript file. On Node 20 a worker does not get the ESM loader hooks
 * that `--import tsx` registers in the main thread (the .ts file is refused), and registering them
 * inside the worker hangs its first import (ADR 0035); tsx's CommonJS hooks, registered in the
 * worker itself, load it. So the file must not use top-level await.
 */
function startTsWorker(file: URL, options: WorkerOptions): Worker {
  const source = `require("tsx/cjs/api").register(); require(${JSON.stringify(fileURLToPath(file))});`;
  return new Worker(source, { ...options, eval: true, execArgv: [] });
}
