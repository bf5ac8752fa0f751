import {
  CONFLICT,
  type Conflict,
  type DocStore,
  type DocStoreSession,
  retryOnConflict,
  type StoredRecord,
  type Where,
} from "@strata/docstore";
import { type AppError, err, ok, type Result } from "@strata/errors";
import { labelRows, replaceLabelRows } from "./document-label-index.js";
import { DOCUMENT_LABELS_BACKFILL_TABLE, DOCUMENTS_TABLE, type DocumentRecord } from "./tables.js";

/**
 * Documents read per transaction, and the label rows one writes at most (a document carries up to
 * 100 labels): some tens of milliseconds of work between two turns of the loop.
 */
export const BACKFILL_PAGE_SIZE = 200;
const PAGE_ROWS = 1_000;

const STATE_ID = "documents";

/** How far the backfill got: documents are visited in id order, `after` is the last one done. */
interface BackfillState extends StoredRecord {
  readonly after: string | null;
  readonly done: boolean;
}

export interface BackfillOptions {
  /** Runs between two pages; by default a turn of the event loop, so timers and I/O get theirs. */
  readonly between?: () => Promise<void>;
}

/**
 * Indexes the labels of the documents a store held before the label index existed, once: a page
 * of documents per transaction, resuming after the last page done when a start was cut short, and
 * a no-op once done. Runs at start before the service takes writes; every write since keeps the
 * index itself. Answers how many documents it indexed.
 */
export async function backfillLabelIndex(
  ports: { readonly store: DocStore },
  options: BackfillOptions = {},
): Promise<Result<number, AppError>> {
  const between = options.between ?? (() => new Promise<void>((resolve) => setImmediate(resolve)));
  let indexed = 0;
  for (;;) {
    // A conflict: another replica moved the backfill on meanwhile; read where it got to.
    const page = await retryOnConflict(() => ports.store.transaction(indexNextPage));
    if (!page.ok) return page;
    indexed += page.value.count;
    if (page.value.done) return ok(indexed);
    await between();
  }
}

async function indexNextPage(
  tx: DocStoreSession,
): Promise<Result<{ readonly done: boolean; readonly count: number }, AppError | Conflict>> {
  const states = tx.table<BackfillState>(DOCUMENT_LABELS_BACKFILL_TABLE);
  const state = await states.get(STATE_ID);
  if (state?.record.done === true) return ok({ done: true, count: 0 });
  const after = state?.record.after ?? null;
  const where: Where = after === null ? {} : { id: { $gt: after } };
  const documents = await tx.table<DocumentRecord>(DOCUMENTS_TABLE).find({
    where,
    orderBy: [{ field: "id", direction: "asc" }],
    limit: BACKFILL_PAGE_SIZE,
  });
  let last = after;
  let count = 0;
  let rows = 0;
  for (const { record } of documents) {
    const labels = labelRows(record);
    await replaceLabelRows(tx, record, labels);
    last = record.id;
    count += 1;
    rows += labels.length;
    if (rows >= PAGE_ROWS) break;
  }
  const done = documents.length < BACKFILL_PAGE_SIZE && count === documents.length;
  const next: BackfillState = { id: STATE_ID, after: last, done };
  const saved = state === undefined ? await states.insert(next) : await states.replace(next, state.version);
  return saved.ok ? ok({ done, count }) : err(CONFLICT);
}
