import { ok } from "@strata/errors";
import type { UnaryHandler } from "@strata/grpc";
import type { authV1 } from "@strata/proto";
import { createOrganization } from "../domain/organizations.js";
import type { AuthPorts } from "../domain/ports.js";
import { keyToProto } from "./key-mapping.js";

/** Internal (token only, no caller): used by operator tooling to add an organization. */
export function createOrganizationHandler(
  ports: AuthPorts,
): UnaryHandler<authV1.CreateOrganizationRequest, authV1.CreateOrganizationResponse> {
  return async (request) => {
    const result = await createOrganization(ports, request.name);
    if (!result.ok) return result;
    const { organization, admin } = result.value;
    return ok({
      organization: {
        organizationId: organization.id,
        name: organization.name,
        createdAt: new Date(organization.created_at),
      },
      key: keyToProto(admin.key, ports.clock()),
      secret: admin.secret,
    });
  };
}
