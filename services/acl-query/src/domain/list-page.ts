import { type DocStore, listPage, type StoredRecord } from "@strata/docstore";
import { type AppError, badRequest, err, ok, type Result } from "@strata/errors";

export const LIST_LIMIT_DEFAULT = 20;
export const LIST_LIMIT_MAX = 100;

export interface RecordPage<T> {
  readonly records: readonly T[];
  readonly nextCursor: string | null;
}

/** A page of one namespace's records of a table, newest first. `limit` 0 takes the default. */
export async function pageInNamespace<T extends StoredRecord>(
  store: DocStore,
  table: string,
  scope: { readonly organizationId: string; readonly namespaceId: string },
  request: { readonly limit: number; readonly cursor: string | undefined },
): Promise<Result<RecordPage<T>, AppError>> {
  const limit = request.limit === 0 ? LIST_LIMIT_DEFAULT : request.limit;
  if (!Number.isInteger(limit) || limit < 1 || limit > LIST_LIMIT_MAX) {
    return err(badRequest(`limit must be between 1 and ${LIST_LIMIT_MAX}`, { limit: request.limit }));
  }
  const page = await listPage(store.table<T>(table), {
    where: { organization_id: scope.organizationId, namespace_id: scope.namespaceId },
    limit,
    cursor: request.cursor,
    direction: "desc",
  });
  if (!page.ok) return err(badRequest("The cursor is invalid", { cursor: request.cursor }));
  return ok({ records: page.value.records.map((v) => v.record), nextCursor: page.value.nextCursor });
}
