import type { AppError, Result } from "@strata/errors";

/** How many records of each kind a purge step removed (for the log line), e.g. `{ buckets: 2 }`. */
export type PurgeCounts = Readonly<Record<string, number>>;

/**
 * What one module removes of a deleted namespace. Steps run one after the other; each must be
 * idempotent, since an interrupted purge is repeated from the first step.
 */
export type PurgeStep = (namespaceId: string) => Promise<Result<PurgeCounts, AppError>>;
