import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { authV1 } from "@strata/proto";
import { createKey } from "../domain/create-key.js";
import type { AuthPorts } from "../domain/ports.js";
import { keyToProto, permissionFromProto } from "./key-mapping.js";

export function createKeyHandler(
  ports: AuthPorts,
): UnaryHandlerWithCaller<authV1.CreateKeyRequest, authV1.CreateKeyResponse> {
  return async (request, { caller }) => {
    const result = await createKey(ports, caller, {
      name: request.name,
      permissions: request.permissions.map(permissionFromProto),
      namespaces: request.namespaces,
      expiresAt: request.expiresAt,
      principalId: request.principalId,
      roles: request.roles,
      attributes: request.attributes,
    });
    if (!result.ok) return result;
    return ok({ key: keyToProto(result.value.key, ports.clock()), secret: result.value.secret });
  };
}
