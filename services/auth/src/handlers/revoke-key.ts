import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { authV1 } from "@strata/proto";
import { revokeKey } from "../domain/manage-keys.js";
import type { AuthPorts } from "../domain/ports.js";
import { keyToProto } from "./key-mapping.js";

export function revokeKeyHandler(
  ports: AuthPorts,
): UnaryHandlerWithCaller<authV1.RevokeKeyRequest, authV1.RevokeKeyResponse> {
  return async (request, { caller }) => {
    const result = await revokeKey(ports, caller, request.keyId);
    return result.ok ? ok({ key: keyToProto(result.value, ports.clock()) }) : result;
  };
}
