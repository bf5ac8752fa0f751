import { type AppError, ok, type Result, validationFailed } from "@strata/errors";
import { listEveryPage, type OwningServices } from "../adapters/grpc/owning-services.js";
import type { ActContext } from "../domain/ports.js";

/** The namespace's collections both ways: id → name (to export) and name → id (to apply). */
export interface CollectionNames {
  nameOf(id: string): string;
  /** The ids of `names`, or a validation error naming every collection the namespace lacks. */
  idsOf(names: readonly string[], field: string): Result<string[], AppError>;
}

/**
 * Services that hold collection ids (ACL rules, the tiering policy) are given ids; the manifest
 * names collections, so each call resolves the names against the namespace as it is at that step.
 */
export async function collectionNames(
  services: OwningServices,
  { caller, namespaceId }: ActContext,
): Promise<Result<CollectionNames, AppError>> {
  const listed = await listEveryPage(async (cursor) => {
    const page = await services.collection.listCollections({ namespaceId, limit: 100, cursor }, { caller });
    return page.ok ? ok({ items: page.value.collections, next: page.value.nextCursor }) : page;
  });
  if (!listed.ok) return listed;
  const names = new Map(listed.value.map((c) => [c.collectionId, c.collectionName]));
  const ids = new Map(listed.value.map((c) => [c.collectionName, c.collectionId]));
  return ok({
    nameOf: (id) => names.get(id) ?? id,
    idsOf: (wanted, field) => {
      const missing = wanted.flatMap((name, index) => (ids.has(name) ? [] : [{ name, index }]));
      if (missing.length > 0)
        return {
          ok: false,
          error: validationFailed(
            missing.map(({ name, index }) => ({
              location: `${field}[${index}]`,
              type: "not_found",
              message: `collection '${name}' does not exist in the namespace`,
            })),
          ),
        };
      return ok(wanted.map((name) => ids.get(name) ?? name));
    },
  });
}

/** The ids of the collections `names` names, resolved now (a step's view of the namespace). */
export async function collectionIdsNow(
  services: OwningServices,
  context: ActContext,
  names: readonly string[],
): Promise<Result<string[], AppError>> {
  const resolved = await collectionNames(services, context);
  return resolved.ok ? resolved.value.idsOf(names, "collections") : resolved;
}
