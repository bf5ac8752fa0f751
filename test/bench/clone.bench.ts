/**
 * npm run bench:clone [-- --documents N] — a namespace clone (ADR 0024, ADR 0029), in process,
 * embedded mode (SQLite store, embedded hot index on disk, embedded warm index and cold objects and
 * the buckets' bytes on a files object store), through the namespace service's own clone use case
 * (the REST route is another branch's; this drives `acceptClone` as tiering.bench.ts drives moves):
 *   1. N × D clustered vectors (default 100,000 × 384): 70% hot, 20% warm, 10% cold, written straight
 *      into each tier (records in the store), plus bucket objects (BENCH_OBJECTS × BENCH_OBJECT_KIB);
 *   2. the limit, in the same run: `fs.copyFile` of every file the source's data lives in (the
 *      store's file, the hot index's directory, the object store's files) to the same disk;
 *   3. the clone, accepted to ready: time, documents/s, MB/s of those same bytes, and its share of
 *      the plain copy's rate; meanwhile a reader of another namespace measures its longest wait;
 *   4. the clone's hot graph built in the background after ready (the index rebuilds it; ADR 0029).
 * Environment: BENCH_DIMS (384), BENCH_OBJECTS (100), BENCH_OBJECT_KIB (256).
 */
import { copyFile, mkdir, mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { Readable } from "node:stream";
import { parseArgs } from "node:util";
import { clusteredVectors } from "@strata/hotindex";
import { bucketObjects } from "../../services/namespace/src/adapters/objectstore/bucket-objects.js";
import { createBucket } from "../../services/namespace/src/modules/buckets/create-bucket.js";
import { putObject } from "../../services/namespace/src/modules/buckets/put-object.js";
import { acceptClone } from "../../services/namespace/src/modules/clones/accept-clone.js";
import { CloneRuns } from "../../services/namespace/src/modules/clones/clone-runs.js";
import { cloneStatus } from "../../services/namespace/src/modules/clones/clone-status.js";
import { getDocument } from "../../services/namespace/src/modules/documents/read-documents.js";
import {
  DOCUMENTS_TABLE,
  type DocumentRecord,
  type Tier,
} from "../../services/namespace/src/modules/documents/tables.js";
import { createNamespace } from "../../services/namespace/src/modules/namespaces/create-namespace.js";
import {
  type ModuleAdapters,
  moduleCloneCleanUps,
  moduleCloneSteps,
} from "../../services/namespace/src/modules.js";
import type { CloneCleanUp, CloneStep } from "../../services/namespace/src/shared/clone-step.js";
import type { TierEntry } from "../../services/namespace/src/shared/vectors/tier-vectors.js";
import { vectorPayload } from "../../services/namespace/src/shared/vectors/vector-payload.js";
import {
  BENCH_FEATURE,
  benchDocumentRecord,
  createBenchCollection,
  openNamespaceBench,
  printMachine,
  round,
} from "./namespace-bench-setup.js";

const { values: args } = parseArgs({ options: { documents: { type: "string" } }, strict: false });
const COUNT = Number(args.documents ?? process.env.BENCH_COUNT ?? 100_000);
const DIMS = Number(process.env.BENCH_DIMS ?? 384);
const OBJECTS = Number(process.env.BENCH_OBJECTS ?? 100);
const OBJECT_KIB = Number(process.env.BENCH_OBJECT_KIB ?? 256);
const PER_CALL = 1_000;
const FEATURE = BENCH_FEATURE;

const mb = (bytes: number) => bytes / 1_000_000;

/** 70% hot, 20% warm, 10% cold, interleaved so every page of the collection mixes tiers. */
function tierOf(i: number): Exclude<Tier, "archive"> {
  const slot = i % 10;
  return slot < 7 ? "hot" : slot < 9 ? "warm" : "cold";
}

/** Every file under `dir` (recursively), with its size. */
async function filesUnder(dir: string): Promise<{ path: string; size: number }[]> {
  const found: { path: string; size: number }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    found.push({ path, size: (await stat(path)).size });
  }
  return found;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "strata-bench-clone-"));
  printMachine();
  console.log(
    `documents: ${COUNT} × ${DIMS} (70% hot, 20% warm, 10% cold), bucket objects: ${OBJECTS} × ${OBJECT_KIB} KiB`,
  );
  const data = join(dir, "data");
  await mkdir(data, { recursive: true });
  const bench = await openNamespaceBench(data, 2);
  const { store, index, objects, opened, caller } = bench;
  const cloneSteps: CloneStep[] = [];
  const cloneCleanUps: CloneCleanUp[] = [];
  const ports: ModuleAdapters = {
    ...bench.ports,
    objects: bucketObjects(objects),
    maxObjectBytes: 64 * 1024 * 1024,
    enqueueChunks: async () => undefined,
    cloneSteps,
    cloneCleanUps,
    cloneRuns: new CloneRuns(),
    maxNamespacesPerOrganization: 100,
    beforeCloneCommit: undefined,
  };
  cloneSteps.push(...moduleCloneSteps(ports));
  cloneCleanUps.push(...moduleCloneCleanUps(ports));
  const namespaceOf = async (name: string) => {
    const made = await createNamespace(ports, caller, { namespaceName: name, description: "" });
    if (!made.ok) throw new Error(made.error.message);
    return made.value.id;
  };
  const source = await namespaceOf("bench");
  const bystander = await namespaceOf("bystander");
  const collectionIn = (namespaceId: string) => createBenchCollection(bench, namespaceId, DIMS);
  const collection = await collectionIn(source);
  const generated = clusteredVectors({ count: COUNT, dimensions: DIMS, clusters: 100, seed: 2026 });

  // 1. The source: each page's records in one transaction, its vectors in the tier each names.
  let started = performance.now();
  const at = new Date().toISOString();
  for (let i = 0; i < COUNT; i += PER_CALL) {
    const records: DocumentRecord[] = [];
    for (let k = i; k < Math.min(COUNT, i + PER_CALL); k++) {
      const id = `d${String(k).padStart(6, "0")}`;
      records.push(
        benchDocumentRecord({
          collection,
          organizationId: caller.organizationId,
          documentId: id,
          metadata: { k, group: k % 17 },
          tier: tierOf(k),
          at,
        }),
      );
    }
    await store.transaction(async (tx) => {
      for (const r of records) await tx.table<DocumentRecord>(DOCUMENTS_TABLE).insert(r);
      return { ok: true, value: undefined } as const;
    });
    for (const tier of ["hot", "warm", "cold"] as const) {
      const entries: TierEntry[] = records
        .map((r, j) => ({ r, k: i + j }))
        .filter(({ r }) => r.tier === tier)
        .map(({ r, k }) => ({
          documentId: r.document_id,
          vectors: [{ feature_uri: FEATURE, vector: Float32Array.from(generated.vector(k)) }],
          payload: vectorPayload(r),
        }));
      const written = await opened.tiers[tier].write(collection, entries);
      if (!written.ok) throw new Error(written.error.message);
    }
  }
  const bucket = await createBucket(ports, caller, source, { bucketName: "files", description: "" });
  if (!bucket.ok) throw new Error(bucket.error.message);
  const body = Buffer.alloc(OBJECT_KIB * 1024, 7);
  for (let o = 0; o < OBJECTS; o++) {
    const put = await putObject(ports, caller, source, "files", {
      key: `file-${o}.bin`,
      contentType: "application/octet-stream",
      expectedSha256: undefined,
      body: Readable.from([body]),
    });
    if (!put.ok) throw new Error(put.error.message);
  }
  console.log(
    `source written in ${round((performance.now() - started) / 1000)} s; waiting for its hot graph…`,
  );
  started = performance.now();
  await index.waitForIndexing();
  const flushed = await index.flush();
  if (!flushed.ok) throw new Error(flushed.error.message);
  console.log(`source hot graph built in ${round((performance.now() - started) / 1000)} s`);
  const other = await collectionIn(bystander);
  const seeded = await opened.tiers.hot.write(other, [
    {
      documentId: "x",
      vectors: [{ feature_uri: FEATURE, vector: Float32Array.from(generated.vector(0)) }],
      payload: {},
    },
  ]);
  if (!seeded.ok) throw new Error(seeded.error.message);

  // 2. The limit: a plain copy of every byte the source lives in, file by file, on the same disk.
  const files = await filesUnder(data);
  const bytes = files.reduce((sum, f) => sum + f.size, 0);
  const copyDir = join(dir, "plain-copy");
  started = performance.now();
  for (const f of files) {
    const to = join(copyDir, relative(data, f.path));
    await mkdir(dirname(to), { recursive: true });
    await copyFile(f.path, to);
  }
  const copySeconds = (performance.now() - started) / 1000;
  const copyRate = mb(bytes) / copySeconds;
  console.log(
    `baseline: fs.copyFile of the same bytes: ${files.length} files, ${round(mb(bytes))} MB in ${round(copySeconds, 2)} s = ${round(copyRate)} MB/s`,
  );
  await rm(copyDir, { recursive: true, force: true });

  // 3. The clone, accepted to ready, while another namespace's documents are read in a loop.
  let cloning = true;
  let longestWait = 0;
  let reads = 0;
  const bystanderReads = (async () => {
    while (cloning) {
      const t0 = performance.now();
      const found = await getDocument(ports, caller, bystander, "items", "missing");
      if (found.ok) throw new Error("a missing document was found");
      longestWait = Math.max(longestWait, performance.now() - t0);
      reads++;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  started = performance.now();
  const accepted = await acceptClone(ports, caller, source, {
    namespaceName: "branch",
    includeWebhooks: false,
  });
  if (!accepted.ok) throw new Error(accepted.error.message);
  const acceptedMs = performance.now() - started;
  await ports.cloneRuns.settled();
  const cloneSeconds = (performance.now() - started) / 1000;
  cloning = false;
  await bystanderReads;
  const status = await cloneStatus(ports, caller, accepted.value.namespace.id);
  if (!status.ok || status.value.status !== "ready") throw new Error(`clone ended ${JSON.stringify(status)}`);
  const cloneRate = mb(bytes) / cloneSeconds;
  const share = cloneRate / copyRate;
  console.log(`clone progress: ${JSON.stringify(status.value.progress)}`);
  console.log(
    `clone: ${COUNT} documents in ${round(cloneSeconds, 2)} s (accepted in ${round(acceptedMs)} ms) = ${round(COUNT / cloneSeconds)} docs/s, ${round(cloneRate)} MB/s of the same ${round(mb(bytes))} MB`,
  );
  console.log(
    `clone vs plain copy: ${round(share * 100)}% (target ≥ 25%: ${share >= 0.25 ? "met" : "missed"}); 100,000-document target ≤ 10 s: ${COUNT >= 100_000 ? (cloneSeconds <= 10 ? "met" : "missed") : "not measured (fewer documents)"}`,
  );
  console.log(
    `another namespace during the clone: ${reads} reads, longest ${round(longestWait)} ms (one clone transaction would hold it ${round(cloneSeconds * 1000)} ms)`,
  );

  // 4. The clone's hot vectors are in the appendable segment at ready; the index builds its graph.
  started = performance.now();
  await index.waitForIndexing();
  console.log(
    `clone hot graph built in the background in ${round((performance.now() - started) / 1000)} s after ready`,
  );

  await opened.close();
  await index.close();
  await objects.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
