import { ok } from "@strata/errors";
import type { UnaryCall } from "@strata/grpc";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { z } from "zod";
import { errorResponses, namespaceHeaderSchema } from "./common.js";
import { BEARER, type RouteDeps } from "./route-deps.js";
import { identifierParams, inNamespace } from "./scoped-call.js";

/** The request of every RPC that names one resource of a namespace by its id or name. */
export interface IdentifiedRequest {
  readonly namespaceId: string;
  readonly identifier: string;
}

export interface IdentifiedRoute<View extends z.ZodType, Res> {
  /** GET reads the resource (read access); DELETE removes it (write access). */
  readonly method: "GET" | "DELETE";
  /** Ends in `/:id`. */
  readonly path: string;
  /** What `:id` names, for the parameter's description: "Collection", "Bucket", … */
  readonly noun: string;
  readonly tags: string[];
  /** The OpenAPI operationId, camelCase: what a generated client names the call. */
  readonly operationId: string;
  readonly summary: string;
  readonly view: View;
  /** The answer's view of the RPC's response. */
  readonly toView: (response: Res) => z.output<View>;
}

/**
 * `GET|DELETE <path>/:id` in the X-Namespace namespace: one RPC with the namespace and the id or
 * name, its response shown through `toView`. `call` is its own argument for the reason
 * registerListRoute gives.
 */
export function registerIdentifiedRoute<View extends z.ZodType, Res>(
  app: FastifyInstance,
  deps: RouteDeps,
  call: UnaryCall<IdentifiedRequest, Res>,
  route: IdentifiedRoute<View, Res>,
): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: route.method,
    url: route.path,
    config: { access: route.method === "GET" ? "read" : "write" },
    schema: {
      tags: route.tags,
      operationId: route.operationId,
      summary: route.summary,
      security: BEARER,
      headers: namespaceHeaderSchema,
      params: identifierParams(route.noun),
      // Widened: Fastify cannot resolve a reply type from a generic schema; `toView` is what keeps
      // the answer to the view's shape.
      response: { 200: route.view as z.ZodType, ...errorResponses },
    },
    handler: async (request, reply) =>
      inNamespace(request, reply, deps, async (scope) => {
        const answer = await call(
          { namespaceId: scope.namespaceId, identifier: request.params.id },
          scope.call,
        );
        return answer.ok ? ok(route.toView(answer.value)) : answer;
      }),
  });
}
