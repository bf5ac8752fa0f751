import type { DocStoreSession, StoredRecord, Table } from "@strata/docstore";
import { type AppError, err, internal, ok, type Result } from "@strata/errors";

// The one definition lives in @strata/ids: the other services map ids of a clone with it too.
export { cloneIdOf } from "@strata/ids";

/** How many records of each kind a clone step copied (the clone's progress), e.g. `{ documents: 9 }`. */
export type CloneCounts = Readonly<Record<string, number>>;

/** The namespace a clone writes into: its id and organization (its record is the clone module's). */
export interface CloneTarget {
  readonly namespaceId: string;
  readonly organizationId: string;
}

/**
 * What one module's clone step works with (ADR 0024). Every step reads the source and writes the
 * clone in ONE store transaction: its reads are the point in time the clone equals, and a clone
 * that stops midway leaves no record behind. Writes outside the store (vectors, object bytes) are
 * made so that a rollback or a crash leaves nothing visible and `cleanUp` can remove them.
 */
export interface CloneContext {
  readonly tx: DocStoreSession;
  readonly sourceNamespaceId: string;
  readonly target: CloneTarget;
  /** Staged vectors and copied records name this write (ADR 0013 settles it after a crash). */
  readonly writeId: string;
  /** Registers work that runs once the transaction committed (e.g. making staged vectors visible). */
  afterCommit(work: () => Promise<Result<void, AppError>>): void;
}

/** Returns `"retry"` when the source moved under the step in a way the snapshot cannot hold. */
export type CloneStep = (context: CloneContext) => Promise<Result<CloneCounts, AppError | "retry">>;

/** Removes whatever a failed clone wrote outside the store for this target namespace. */
export type CloneCleanUp = (targetNamespaceId: string) => Promise<Result<void, AppError>>;

/**
 * Inserts the clone's copies of records. An id already taken means a clone of this very target
 * wrote it before: the transaction is rolled back by the caller, so that is a bug, not a retry.
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
