import { ok } from "@strata/errors";
import type { UnaryHandler } from "@strata/grpc";
import type { authV1 } from "@strata/proto";
import type { AuthPorts } from "../domain/ports.js";
import { verifyKey } from "../domain/verify-key.js";
import { keyToProto } from "./key-mapping.js";

/** Called by the gateway with the internal token only: there is no caller yet. */
export function verifyKeyHandler(
  ports: AuthPorts,
): UnaryHandler<authV1.VerifyKeyRequest, authV1.VerifyKeyResponse> {
  return async (request) => {
    const verification = await verifyKey(ports, request.secret);
    if (!verification.valid) return ok({ valid: false });
    return ok({ valid: true, key: keyToProto(verification.key, ports.clock()) });
  };
}
