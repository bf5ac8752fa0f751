import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { sendAppError } from "../http/errors.js";
import { callerOf, traceContextOf } from "../http/request-state.js";
import { permissionSchema } from "./api-key-view.js";
import { errorResponses, namespaceHeaderSchema } from "./common.js";
import { namespaceSchema, namespaceView } from "./namespace-view.js";
import { BEARER, type RouteDeps } from "./route-deps.js";

const whoamiSchema = z.object({
  organization_id: z.string(),
  key_id: z.string(),
  permissions: z.array(permissionSchema),
  namespaces: z.array(z.string()).describe("Namespace ids the key is limited to; empty means all"),
  principal_id: z.string().nullable(),
  roles: z.array(z.string()),
  namespace: namespaceSchema.optional().describe("The namespace named by X-Namespace, when given"),
});

export function registerWhoamiRoute(app: FastifyInstance, deps: RouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/v1/whoami",
    {
      config: { access: "read", optionalNamespace: true },
      schema: {
        tags: ["Identity"],
        operationId: "whoami",
        summary: "Describe the calling API key (and the X-Namespace it names)",
        security: BEARER,
        headers: namespaceHeaderSchema,
        response: { 200: whoamiSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const identity = {
        organization_id: caller.organizationId,
        key_id: caller.keyId,
        permissions: [...caller.permissions],
        namespaces: [...caller.namespaces],
        principal_id: caller.principalId ?? null,
        roles: [...caller.roles],
      };
      const identifier = request.headers["x-namespace"];
      if (identifier === undefined) return identity;
      const resolved = await deps.namespaces.resolve(caller, identifier, traceContextOf(request));
      if (!resolved.ok) return sendAppError(request, reply, resolved.error);
      return { ...identity, namespace: namespaceView(resolved.value) };
    },
  );
}
