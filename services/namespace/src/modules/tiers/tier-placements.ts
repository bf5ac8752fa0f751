import type { Caller } from "@strata/access";
import { listPage } from "@strata/docstore";
import { type AppError, badRequest, err, ok, type Result } from "@strata/errors";
import { requirePermission } from "../../shared/namespace-access.js";
import { resolveNamespaceScope } from "../../shared/namespace-scope.js";
import { DOCUMENTS_TABLE, type DocumentRecord, type Tier } from "../documents/tables.js";
import type { TierPorts } from "./ports.js";

export interface TierPlacement {
  readonly collectionId: string;
  readonly documentId: string;
  readonly tier: Tier;
  readonly tierChangedAt: string;
  readonly createdAt: string;
}

export const PLACEMENTS_PAGE_DEFAULT = 500;
export const PLACEMENTS_PAGE_MAX = 1000;

/** A page of the namespace's documents with their tier and times, oldest first. */
export async function listTierPlacements(
  ports: Pick<TierPorts, "store">,
  caller: Caller,
  namespaceId: string,
  request: { readonly tier?: Tier | undefined; readonly pageSize: number; readonly pageToken: string },
): Promise<Result<{ placements: TierPlacement[]; nextPageToken: string }, AppError>> {
  const allowed = requirePermission(caller, "read");
  if (!allowed.ok) return allowed;
  const size = request.pageSize === 0 ? PLACEMENTS_PAGE_DEFAULT : request.pageSize;
  if (!Number.isInteger(size) || size < 1 || size > PLACEMENTS_PAGE_MAX)
    return err(
      badRequest(`page_size must be between 1 and ${PLACEMENTS_PAGE_MAX}`, { page_size: request.pageSize }),
    );
  const namespace = await resolveNamespaceScope(ports.store, caller, namespaceId);
  if (!namespace.ok) return namespace;
  const page = await listPage(ports.store.table<DocumentRecord>(DOCUMENTS_TABLE), {
    where: {
      namespace_id: namespace.value.id,
      ...(request.tier === undefined ? {} : { tier: request.tier }),
    },
    limit: size,
    cursor: request.pageToken === "" ? undefined : request.pageToken,
    direction: "asc",
  });
  if (!page.ok) return err(badRequest("The page token is invalid", { page_token: request.pageToken }));
  return ok({
    placements: page.value.records.map(({ record }) => ({
      collectionId: record.collection_id,
      documentId: record.document_id,
      tier: record.tier,
      tierChangedAt: record.tier_changed_at,
      createdAt: record.created_at,
    })),
    nextPageToken: page.value.nextCursor ?? "",
  });
}
