import type { Caller } from "@strata/access";
import type { DocStoreSession, Versioned } from "@strata/docstore";
import { type AppError, err, notFound, ok, type Result } from "@strata/errors";
import { isId, isValidResourceName } from "@strata/ids";
import { RETRIEVERS_TABLE, type RetrieverRecord } from "../tables.js";

/**
 * Finds a retriever by id (ret_…) or name in the caller's organization and the given namespace;
 * one of another namespace or organization answers not_found exactly like a missing one.
 */
export async function resolveRetriever(
  session: DocStoreSession,
  caller: Caller,
  namespaceId: string,
  identifier: string,
): Promise<Result<Versioned<RetrieverRecord>, AppError>> {
  const table = session.table<RetrieverRecord>(RETRIEVERS_TABLE);
  let found: Versioned<RetrieverRecord> | undefined;
  if (isId("retriever", identifier)) {
    found = await table.get(identifier);
  } else if (isValidResourceName("retriever", identifier)) {
    [found] = await table.find({
      where: { namespace_id: namespaceId, retriever_name: identifier },
      limit: 1,
    });
  }
  if (
    found === undefined ||
    found.record.namespace_id !== namespaceId ||
    found.record.organization_id !== caller.organizationId
  ) {
    return err(notFound("retriever", identifier));
  }
  return ok(found);
}
