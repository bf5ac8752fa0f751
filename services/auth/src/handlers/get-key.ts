import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { authV1 } from "@strata/proto";
import { getKey } from "../domain/manage-keys.js";
import type { AuthPorts } from "../domain/ports.js";
import { keyToProto } from "./key-mapping.js";

export function getKeyHandler(
  ports: AuthPorts,
): UnaryHandlerWithCaller<authV1.GetKeyRequest, authV1.GetKeyResponse> {
  return async (request, { caller }) => {
    const result = await getKey(ports, caller, request.keyId);
    return result.ok ? ok({ key: keyToProto(result.value, ports.clock()) }) : result;
  };
}
