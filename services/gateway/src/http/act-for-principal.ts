import { type Caller, hasPermission } from "@strata/access";
import { type AppError, err, forbidden, notFound, ok, type Result } from "@strata/errors";

export const PRINCIPAL_HEADER = "x-principal";

/** A principal as auth stores it, for the caller that acts for it. */
export interface PrincipalFacts {
  readonly principalId: string;
  readonly roles: readonly string[];
  readonly attributes: Readonly<Record<string, unknown>>;
}

export type ResolvePrincipal = (
  organizationId: string,
  principalId: string,
) => Promise<Result<PrincipalFacts | undefined, AppError>>;

/**
 * The caller a request acts as (ADR 0018). Without `X-Principal`, the key's own caller (an end-user
 * key always acts as its principal). With it, only an org key holding `acl:impersonate` may act for
 * that principal of its organization, with the principal's current roles and attributes; any other
 * key gets 403, an unknown principal 404.
 */
export async function actingCaller(
  caller: Caller,
  header: string | string[] | undefined,
  resolve: ResolvePrincipal,
): Promise<Result<Caller, AppError>> {
  if (header === undefined) return ok(caller);
  if (caller.principalId !== undefined || !hasPermission(caller, "acl:impersonate")) {
    return err(
      forbidden("X-Principal needs an organization key with the acl:impersonate permission", {
        required: "acl:impersonate",
      }),
    );
  }
  const principalId = Array.isArray(header) ? header[0] : header;
  if (principalId === undefined || principalId.length === 0) return err(notFound("principal", ""));
  const found = await resolve(caller.organizationId, principalId);
  if (!found.ok) return found;
  if (found.value === undefined) return err(notFound("principal", principalId));
  return ok({
    ...caller,
    principalId: found.value.principalId,
    roles: [...found.value.roles],
    attributes: { ...found.value.attributes },
  });
}
