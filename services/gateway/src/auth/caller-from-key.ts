import type { Caller, Permission } from "@strata/access";
import { type authV1, permissionFromProto } from "@strata/proto";

/**
 * The Caller the gateway passes on, built from what VerifyKey says about the key. A key with no
 * usable permission cannot act, so it yields undefined (treated as an invalid key).
 */
export function callerFromKey(key: authV1.ApiKey): Caller | undefined {
  const permissions = key.permissions.flatMap((p): Permission[] => {
    const name = permissionFromProto(p);
    return name === undefined ? [] : [name];
  });
  if (permissions.length === 0 || key.keyId === "" || key.organizationId === "") return undefined;
  return {
    organizationId: key.organizationId,
    keyId: key.keyId,
    permissions,
    namespaces: [...key.namespaces],
    ...(key.principalId === undefined || key.principalId === "" ? {} : { principalId: key.principalId }),
    roles: [...key.roles],
    attributes: { ...(key.attributes ?? {}) },
  };
}
