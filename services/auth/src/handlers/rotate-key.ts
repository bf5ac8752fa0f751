import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { authV1 } from "@strata/proto";
import type { AuthPorts } from "../domain/ports.js";
import { rotateKey } from "../domain/rotate-key.js";
import { keyToProto } from "./key-mapping.js";

export function rotateKeyHandler(
  ports: AuthPorts,
): UnaryHandlerWithCaller<authV1.RotateKeyRequest, authV1.RotateKeyResponse> {
  return async (request, { caller }) => {
    const result = await rotateKey(ports, caller, {
      keyId: request.keyId,
      overlapSeconds: request.overlapSeconds,
    });
    if (!result.ok) return result;
    const now = ports.clock();
    return ok({
      key: keyToProto(result.value.key, now),
      secret: result.value.secret,
      previous: keyToProto(result.value.previous, now),
    });
  };
}
