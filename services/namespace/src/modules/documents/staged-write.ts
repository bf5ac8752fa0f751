import { randomUUID } from "node:crypto";
import type { DocStoreSession } from "@strata/docstore";
import { type AppError, err, ok, type Result, unavailable } from "@strata/errors";
import { jsonEqual } from "../../shared/json-value.js";
import type { StagedVectors } from "../../shared/vectors/document-vectors.js";
import { vectorPayload } from "../../shared/vectors/vector-payload.js";
import type { CollectionRecord } from "../collections/tables.js";
import type { DocumentPorts } from "./ports.js";
import type { DocumentRecord, StoredVector } from "./tables.js";

/** A document a write puts in the store, and the vectors that go with it to the hot index. */
export interface PlannedDocument {
  readonly record: DocumentRecord;
  readonly collection: CollectionRecord;
  readonly vectors: readonly StoredVector[];
}

export interface WritePlan<P> {
  /** What `apply` writes. */
  readonly work: P;
  /** The documents whose vectors are staged; their records name the write id. */
  readonly documents: readonly PlannedDocument[];
  /** What else the plan rests on (the versions it replaces), compared by value. */
  readonly basis: unknown;
}

export interface StagedWrite<P, T> {
  /** Plans the write: once on the store, then again inside the transaction. Reads only. */
  plan(session: DocStoreSession, writeId: string): Promise<Result<WritePlan<P>, AppError>>;
  /**
   * Writes the plan inside the transaction; `written` names the documents it wrote, whose vectors
   * are committed. `retry` (a compare-and-set lost) runs the whole write again.
   */
  apply(
    tx: DocStoreSession,
    work: P,
  ): Promise<Result<{ readonly value: T; readonly written: readonly string[] }, AppError | "retry">>;
}

const ATTEMPTS = 5;

/**
 * A write whose documents carry vectors, without holding the store while the hot index fsyncs
 * them (ADR 0013): plan it on the store, take the documents' turn (`exclusive`), stage the planned
 * vectors (the fsync, no store lock held), then in one transaction plan it again and apply it only
 * if the plan is unchanged, and commit the staged vectors after the transaction (abort them if it
 * rolled back). A plan that changed meanwhile, or a lost compare-and-set, is planned again under a
 * new write id.
 */
export async function writeWithStagedVectors<P, T>(
  ports: DocumentPorts,
  write: StagedWrite<P, T>,
): Promise<Result<T, AppError>> {
  let attempts = 0;
  for (;;) {
    const writeId = randomUUID();
    const planned = await write.plan(ports.store, writeId);
    if (!planned.ok) return planned;
    const locked = planned.value.documents;
    const result = await exclusive(ports, locked, async () => {
      let current = { writeId, plan: planned.value };
      for (;;) {
        attempts++;
        const done = await stageAndApply(ports, write, current.writeId, current.plan);
        if (done.ok || done.error !== "retry" || attempts >= ATTEMPTS) return done;
        // Planned before the lock, the write may have missed an earlier write of its documents;
        // planned now, under the lock, it sees every one (unless it now names other documents).
        const id = randomUUID();
        const again = await write.plan(ports.store, id);
        if (!again.ok) return again;
        if (!covers(locked, again.value.documents)) return err("retry" as const);
        current = { writeId: id, plan: again.value };
      }
    });
    if (result.ok) return result;
    if (result.error !== "retry") return err(result.error);
    if (attempts >= ATTEMPTS)
      return err(unavailable("The document kept changing while it was being written; retry"));
  }
}

function exclusive<R>(
  ports: DocumentPorts,
  documents: readonly PlannedDocument[],
  work: () => Promise<R>,
): Promise<R> {
  const [first] = documents;
  if (first === undefined) return work();
  // One collection per write (a document, or a batch chunk).
  return ports.vectors.exclusive(
    first.collection.id,
    documents.map((d) => d.record.document_id),
    work,
  );
}

/** Whether the lock taken for `locked` also covers the documents of `planned`. */
function covers(locked: readonly PlannedDocument[], planned: readonly PlannedDocument[]): boolean {
  const keys = new Set(locked.map((d) => d.record.id));
  return planned.every((d) => keys.has(d.record.id));
}

async function stageAndApply<P, T>(
  ports: DocumentPorts,
  write: StagedWrite<P, T>,
  writeId: string,
  planned: WritePlan<P>,
): Promise<Result<T, AppError | "retry">> {
  const staged = await stageAll(ports, writeId, planned.documents);
  if (!staged.ok) return staged;
  let written: readonly string[] = [];
  const result = await ports.store.transaction<T, AppError | "retry">(async (tx) => {
    const again = await write.plan(tx, writeId);
    if (!again.ok) return again;
    if (!samePlan(planned, again.value)) return err("retry");
    const applied = await write.apply(tx, again.value.work);
    if (!applied.ok) return applied;
    written = applied.value.written;
    return ok(applied.value.value);
  });
  if (result.ok) {
    // A failed commit leaves the vectors staged; the next start commits them (the records name them).
    await commitAll(staged.value, written);
  } else {
    await abortAll(staged.value);
  }
  return result;
}

async function stageAll(
  ports: DocumentPorts,
  writeId: string,
  documents: readonly PlannedDocument[],
): Promise<Result<StagedVectors[], AppError>> {
  const byCollection = new Map<string, PlannedDocument[]>();
  for (const doc of documents) {
    if (doc.vectors.length === 0) continue;
    const group = byCollection.get(doc.collection.id);
    if (group === undefined) byCollection.set(doc.collection.id, [doc]);
    else group.push(doc);
  }
  const staged: StagedVectors[] = [];
  for (const group of byCollection.values()) {
    const [first] = group;
    if (first === undefined) continue;
    const done = await ports.vectors.stage(
      first.collection,
      writeId,
      group.map((d) => ({
        documentId: d.record.document_id,
        vectors: d.vectors,
        payload: vectorPayload(d.record),
      })),
    );
    if (!done.ok) {
      await abortAll(staged);
      return done;
    }
    staged.push(done.value);
  }
  return ok(staged);
}

async function commitAll(staged: readonly StagedVectors[], documentIds: readonly string[]): Promise<void> {
  for (const s of staged) await s.commit(documentIds);
}

async function abortAll(staged: readonly StagedVectors[]): Promise<void> {
  // A failed abort leaves the vectors staged and invisible; the next start drops them.
  for (const s of staged) await s.abort();
}

function samePlan<P>(a: WritePlan<P>, b: WritePlan<P>): boolean {
  if (!jsonEqual(a.basis, b.basis) || a.documents.length !== b.documents.length) return false;
  return a.documents.every((doc, i) => {
    const other = b.documents[i];
    return (
      other !== undefined &&
      doc.collection.id === other.collection.id &&
      jsonEqual(doc.record, other.record) &&
      sameVectors(doc.vectors, other.vectors)
    );
  });
}

/** Equal vector sets (stored vectors are float32: compared at that precision). */
export function sameVectors(a: readonly StoredVector[], b: readonly StoredVector[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((v, i) => {
    const w = b[i];
    return (
      w !== undefined &&
      v.feature_uri === w.feature_uri &&
      v.vector.length === w.vector.length &&
      v.vector.every((x, j) => Math.fround(x) === Math.fround(w.vector[j] ?? Number.NaN))
    );
  });
}
