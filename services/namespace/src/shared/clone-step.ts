import type { DocStoreSession, StoredRecord, Table } from "@strata/docstore";
import { type AppError, err, internal, ok, type Result } from "@strata/errors";
import { cloneIdOf, type IdKind } from "@strata/ids";

// The one definition lives in @strata/ids: the other services map ids of a clone with it too.
export { cloneIdOf };

/**
 * Records per page transaction of a clone's copy. A page of documents holds the store for a few
 * milliseconds on SQLite; between pages the event loop turns, so requests for other namespaces wait
 * at most one page (ADR 0029).
 */
export const CLONE_PAGE = 500;

/** How many records of each kind a clone step copied (the clone's progress), e.g. `{ documents: 9 }`. */
export type CloneCounts = Readonly<Record<string, number>>;

/** The namespace a clone writes into: its id and organization (its record is the clone module's). */
export interface CloneTarget {
  readonly namespaceId: string;
  readonly organizationId: string;
}

/**
 * What one module's clone step reads the source through (ADR 0024, ADR 0029): the snapshot
 * transaction, short, shared by every step. Its reads are the point in time the clone equals;
 * a step writes nothing here, it returns the copy that writes after the snapshot.
 */
export interface CloneSnapshot {
  readonly tx: DocStoreSession;
  readonly sourceNamespaceId: string;
  readonly target: CloneTarget;
  /**
   * Every record of `table` whose `namespace_id` is the source's, read in the snapshot once
   * however many steps ask (the documents are read once, not once per step: ADR 0037).
   */
  sourceRecords<T extends StoredRecord>(table: string): Promise<readonly T[]>;
}

/** A snapshot's `sourceRecords`: each table's records of the source read once, on first use. */
export function onceEachTable(
  tx: DocStoreSession,
  sourceNamespaceId: string,
): CloneSnapshot["sourceRecords"] {
  const reads = new Map<string, Promise<readonly StoredRecord[]>>();
  return <T extends StoredRecord>(table: string) => {
    let read = reads.get(table);
    if (read === undefined) {
      read = tx
        .table<NamespacedRecord>(table)
        .find({ where: { namespace_id: sourceNamespaceId } })
        .then((found) => found.map((f) => f.record));
      reads.set(table, read);
    }
    return read as Promise<readonly T[]>;
  };
}

/**
 * What a step's copy writes through, after the snapshot: page-sized transactions of their own with
 * a turn of the event loop between them, so other requests of the service run while a large clone
 * copies (ADR 0029). The clone's namespace answers 409 until the last step is done, so its
 * committed pages are seen by nobody; a failed clone's pages go through the modules' clean-ups.
 */
export interface CloneWriter {
  readonly sourceNamespaceId: string;
  readonly target: CloneTarget;
  /** Staged vectors and copied records name this write (ADR 0013 settles it after a crash). */
  readonly writeId: string;
  /** Runs `work` in a transaction of its own, then lets waiting requests through. */
  page<T>(work: (tx: DocStoreSession) => Promise<Result<T, AppError>>): Promise<Result<T, AppError>>;
  /** Inserts the copies a page at a time (each page one `page`). */
  insert<T extends StoredRecord>(table: string, copies: readonly T[]): Promise<Result<number, AppError>>;
  /** Adds to the clone's live progress (what the status shows while the copy runs). */
  progress(counts: CloneCounts): void;
}

/** The part of a clone step that writes; returns `"retry"` when the snapshot cannot hold. */
export type CloneCopy = (writer: CloneWriter) => Promise<Result<CloneCounts, AppError | "retry">>;

/** Reads what the module copies from the snapshot; returns `"retry"` when the source moved under it. */
export type CloneStep = (snapshot: CloneSnapshot) => Promise<Result<CloneCopy, AppError | "retry">>;

/**
 * Removes whatever a failed clone wrote for this target namespace: its records in the store (its
 * pages committed as they went) and its data outside the store. Idempotent.
 */
export type CloneCleanUp = (targetNamespaceId: string) => Promise<Result<void, AppError>>;

/**
 * Inserts the clone's copies of records. An id already taken means a clone of this very target
 * wrote it before and its clean-up did not run: a bug, not a retry.
 */
export async function insertCopies<T extends StoredRecord>(
  table: Table<T>,
  copies: readonly T[],
): Promise<Result<number, AppError>> {
  for (const copy of copies) {
    const inserted = await table.insert(copy);
    if (!inserted.ok) return err(internal(`The clone's record ${copy.id} exists already`));
  }
  return ok(copies.length);
}

/** A record that belongs to one namespace of one organization (what a plain clone step copies). */
interface NamespacedRecord extends StoredRecord {
  readonly namespace_id: string;
  readonly organization_id: string;
}

/**
 * The step of a module whose records of the namespace copy as they are, under the clone's ids
 * (collections, taxonomies): read in the snapshot, inserted a page at a time, counted as `counted`.
 */
export function cloneNamespaceRecords(
  table: string,
  kind: IdKind,
  counted: string,
  where: Readonly<Record<string, string>> = {},
): CloneStep {
  return async ({ tx, sourceNamespaceId, target }) => {
    const sources = await tx
      .table<NamespacedRecord>(table)
      .find({ where: { ...where, namespace_id: sourceNamespaceId } });
    const copies = sources.map(({ record }) => ({
      ...record,
      id: cloneIdOf(kind, target, record.id),
      namespace_id: target.namespaceId,
      organization_id: target.organizationId,
    }));
    return ok(async (writer) => {
      const copied = await writer.insert(table, copies);
      return copied.ok ? ok({ [counted]: copied.value }) : copied;
    });
  };
}

/** The clean-up of such a module: its records of the failed clone's namespace, table by table. */
export function deleteClonedRecords(store: DocStoreSession, tables: readonly string[]): CloneCleanUp {
  return async (targetNamespaceId) => {
    for (const table of tables) await store.table(table).deleteMany({ namespace_id: targetNamespaceId });
    return ok(undefined);
  };
}
