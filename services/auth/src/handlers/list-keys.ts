import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { authV1 } from "@strata/proto";
import { LIST_LIMIT_DEFAULT, listKeys } from "../domain/manage-keys.js";
import type { AuthPorts } from "../domain/ports.js";
import { keyToProto } from "./key-mapping.js";

export function listKeysHandler(
  ports: AuthPorts,
): UnaryHandlerWithCaller<authV1.ListKeysRequest, authV1.ListKeysResponse> {
  return async (request, { caller }) => {
    // proto3 cannot tell 0 from unset: 0 means "the default".
    const limit = request.limit === 0 ? LIST_LIMIT_DEFAULT : request.limit;
    const cursor = request.cursor === "" ? undefined : request.cursor;
    const result = await listKeys(ports, caller, { limit, cursor });
    if (!result.ok) return result;
    const now = ports.clock();
    return ok({
      keys: result.value.keys.map((key) => keyToProto(key, now)),
      nextCursor: result.value.nextCursor ?? "",
    });
  };
}
