import { type AppError, err, type Result, unavailable } from "@strata/errors";

/** Returned from a transaction body when a compare-and-set lost a race: the work is re-run. */
export const CONFLICT = "conflict" as const;
export type Conflict = typeof CONFLICT;

const ATTEMPTS = 5;

/**
 * Runs `attempt` (one read-decide-write transaction) again while it reports a version conflict, so
 * concurrent replicas never overwrite each other's changes; gives up as retryable `unavailable`.
 */
export async function retryOnConflict<T>(
  attempt: () => Promise<Result<T, AppError | Conflict>>,
): Promise<Result<T, AppError>> {
  for (let i = 0; i < ATTEMPTS; i++) {
    const result = await attempt();
    if (result.ok) return result;
    if (result.error !== CONFLICT) return err(result.error);
  }
  return err(unavailable("The resource is being changed concurrently; try again"));
}
