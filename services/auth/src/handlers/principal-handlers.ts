import { ok } from "@strata/errors";
import type { UnaryHandler, UnaryHandlerWithCaller } from "@strata/grpc";
import type { authV1 } from "@strata/proto";
import type { AuthPorts } from "../domain/ports.js";
import {
  createPrincipal,
  deletePrincipal,
  getPrincipal,
  listPrincipals,
  resolvePrincipal,
  updatePrincipal,
} from "../domain/principals.js";
import type { PrincipalRecord } from "../domain/tables.js";

type Handler<Req, Res> = UnaryHandlerWithCaller<Req, Res>;

export function principalToProto(p: PrincipalRecord): authV1.Principal {
  return {
    principalId: p.principal_id,
    organizationId: p.organization_id,
    roles: [...p.roles],
    attributes: { ...p.attributes },
    createdAt: new Date(p.created_at),
    updatedAt: new Date(p.updated_at),
  };
}

const answer = (p: PrincipalRecord) => ok({ principal: principalToProto(p) });

export function createPrincipalHandler(
  ports: AuthPorts,
): Handler<authV1.CreatePrincipalRequest, authV1.CreatePrincipalResponse> {
  return async (request, { caller }) => {
    const result = await createPrincipal(ports, caller, {
      principalId: request.principalId,
      roles: request.roles,
      attributes: request.attributes ?? {},
    });
    return result.ok ? answer(result.value) : result;
  };
}

export function getPrincipalHandler(
  ports: AuthPorts,
): Handler<authV1.GetPrincipalRequest, authV1.GetPrincipalResponse> {
  return async (request, { caller }) => {
    const result = await getPrincipal(ports, caller, request.principalId);
    return result.ok ? answer(result.value) : result;
  };
}

export function deletePrincipalHandler(
  ports: AuthPorts,
): Handler<authV1.DeletePrincipalRequest, authV1.DeletePrincipalResponse> {
  return async (request, { caller }) => {
    const result = await deletePrincipal(ports, caller, request.principalId);
    return result.ok ? answer(result.value) : result;
  };
}

export function updatePrincipalHandler(
  ports: AuthPorts,
): Handler<authV1.UpdatePrincipalRequest, authV1.UpdatePrincipalResponse> {
  return async (request, { caller }) => {
    const result = await updatePrincipal(ports, caller, request.principalId, {
      roles: request.setRoles ? request.roles : undefined,
      attributes: request.attributes,
    });
    return result.ok ? answer(result.value) : result;
  };
}

export function listPrincipalsHandler(
  ports: AuthPorts,
): Handler<authV1.ListPrincipalsRequest, authV1.ListPrincipalsResponse> {
  return async (request, { caller }) => {
    const result = await listPrincipals(ports, caller, {
      limit: request.limit === 0 ? 20 : request.limit,
      cursor: request.cursor === "" ? undefined : request.cursor,
    });
    if (!result.ok) return result;
    return ok({
      principals: result.value.principals.map(principalToProto),
      nextCursor: result.value.nextCursor ?? "",
    });
  };
}

/** Called by the gateway with the internal token only (X-Principal), like VerifyKey. */
export function resolvePrincipalHandler(
  ports: AuthPorts,
): UnaryHandler<authV1.ResolvePrincipalRequest, authV1.ResolvePrincipalResponse> {
  return async (request) => {
    const found = await resolvePrincipal(ports, request.organizationId, request.principalId);
    return ok(found === undefined ? { found: false } : { found: true, principal: principalToProto(found) });
  };
}
