import { randomUUID } from "node:crypto";
import type { DocStoreSession } from "@strata/docstore";
import { type AppError, err, ok, type Result, unavailable } from "@strata/errors";
import type { StagedVectors } from "../../shared/vectors/document-vectors.js";
import { vectorPayload } from "../../shared/vectors/vector-payload.js";
import type { CollectionRecord } from "../collections/tables.js";
import { basisHolds, type PlanBasis, type PlanSession, recordingSession } from "./plan-reads.js";
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
}

export interface StagedWrite<P, T> {
  /**
   * Plans the write on the store, reading only through `session`, which records what it reads
   * (the plan's basis): the transaction applies the plan only if that still reads the same.
   */
  plan(session: PlanSession, writeId: string): Promise<Result<WritePlan<P>, AppError>>;
  /**
   * Writes the plan inside the transaction; `written` names the documents it wrote, whose vectors
   * are committed. `retry` (a compare-and-set lost) runs the whole write again.
   */
  apply(
    tx: DocStoreSession,
    work: P,
  ): Promise<Result<{ readonly value: T; readonly written: readonly string[] }, AppError | "retry">>;
}

/** The documents of one collection whose writes take turns (`DocumentVectors.exclusive`). */
export interface DocumentTurn {
  readonly collectionId: string;
  readonly documentIds: readonly string[];
}

/** A plan, the write id its records name, and what it read. */
interface Planned<P> {
  readonly writeId: string;
  readonly plan: WritePlan<P>;
  readonly basis: PlanBasis;
}

const ATTEMPTS = 5;

/**
 * A write whose documents carry vectors, without holding the store while the hot index fsyncs
 * them (ADR 0013): plan it on the store, recording what it reads, take the documents' turn
 * (`exclusive`), stage the planned vectors (the fsync, no store lock held), then in one
 * transaction check that the plan's reads still read the same and apply it, and commit the staged
 * vectors after the transaction (abort them if it rolled back). A plan whose basis moved meanwhile,
 * or a lost compare-and-set, is planned again under a new write id.
 *
 * `planInTurn`: the turn is taken before the first plan, and every plan is made in it (an update
 * reads the document's current vectors, which only its turn keeps in step with its record); a plan
 * naming other documents is retried.
 */
export function writeWithStagedVectors<P, T>(
  ports: DocumentPorts,
  write: StagedWrite<P, T>,
  planInTurn?: DocumentTurn,
): Promise<Result<T, AppError>> {
  if (planInTurn === undefined) return writeInTurn(ports, write);
  return ports.vectors.exclusive(planInTurn.collectionId, planInTurn.documentIds, () =>
    writeInTurn(ports, write, planInTurn),
  );
}

async function writeInTurn<P, T>(
  ports: DocumentPorts,
  write: StagedWrite<P, T>,
  heldTurn?: DocumentTurn,
): Promise<Result<T, AppError>> {
  let attempts = 0;
  for (;;) {
    const planned = await planOnce(ports, write);
    if (!planned.ok) return planned;
    const turn = heldTurn ?? turnOf(planned.value.plan.documents);
    const inTurn = async (): Promise<Result<T, AppError | "retry">> => {
      let current = planned.value;
      for (;;) {
        attempts++;
        // Planned again, the write may name documents the turn does not cover (in a turn taken
        // before the plan: its collection's identifier may name another collection now).
        if (!covers(turn, current.plan.documents)) return err("retry");
        const done = await stageAndApply(ports, write, current);
        if (done.ok || done.error !== "retry" || attempts >= ATTEMPTS) return done;
        // Planned before the turn, the write may have missed an earlier write of its documents;
        // planned now, in the turn, it sees every one.
        const again = await planOnce(ports, write);
        if (!again.ok) return again;
        current = again.value;
      }
    };
    const result = await takeTurn(ports, turn, heldTurn !== undefined, inTurn);
    if (result.ok) return result;
    if (result.error !== "retry") return err(result.error);
    if (attempts >= ATTEMPTS)
      return err(unavailable("The document kept changing while it was being written; retry"));
  }
}

async function planOnce<P, T>(
  ports: DocumentPorts,
  write: StagedWrite<P, T>,
): Promise<Result<Planned<P>, AppError>> {
  const writeId = randomUUID();
  const reads = recordingSession(ports.store);
  const plan = await write.plan(reads.session, writeId);
  return plan.ok ? ok({ writeId, plan: plan.value, basis: reads.basis() }) : plan;
}

function takeTurn<R>(
  ports: DocumentPorts,
  turn: DocumentTurn,
  held: boolean,
  work: () => Promise<R>,
): Promise<R> {
  if (held || turn.documentIds.length === 0) return work();
  return ports.vectors.exclusive(turn.collectionId, turn.documentIds, work);
}

/** The turn a plan's documents take: one collection per write (a document, or a batch chunk). */
function turnOf(documents: readonly PlannedDocument[]): DocumentTurn {
  return {
    collectionId: documents[0]?.collection.id ?? "",
    documentIds: documents.map((d) => d.record.document_id),
  };
}

/** Whether the turn also covers the documents of `planned`. */
function covers(turn: DocumentTurn, planned: readonly PlannedDocument[]): boolean {
  const ids = new Set(turn.documentIds);
  return planned.every((d) => d.collection.id === turn.collectionId && ids.has(d.record.document_id));
}

async function stageAndApply<P, T>(
  ports: DocumentPorts,
  write: StagedWrite<P, T>,
  planned: Planned<P>,
): Promise<Result<T, AppError | "retry">> {
  const staged = await stageAll(ports, planned.writeId, planned.plan.documents);
  if (!staged.ok) return staged;
  let written: readonly string[] = [];
  const result = await ports.store.transaction<T, AppError | "retry">(async (tx) => {
    if (!(await basisHolds(tx, planned.basis))) return err("retry");
    const applied = await write.apply(tx, planned.plan.work);
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
