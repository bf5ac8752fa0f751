import type { Caller } from "@strata/access";

/** tier-migrator itself acting in one organization: it moves documents on policy, not for a key. */
export function systemCaller(organizationId: string): Caller {
  return {
    organizationId,
    keyId: "system:tier-migrator",
    permissions: ["write"],
    namespaces: [],
    roles: [],
    attributes: {},
  };
}
