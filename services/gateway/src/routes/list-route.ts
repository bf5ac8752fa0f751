import { ok } from "@strata/errors";
import type { UnaryCall } from "@strata/grpc";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { z } from "zod";
import {
  DEFAULT_PAGE_SIZE,
  errorResponses,
  listQuerySchema,
  listResponseSchema,
  namespaceHeaderSchema,
  stringOrNull,
} from "./common.js";
import { BEARER, type RouteDeps } from "./route-deps.js";
import { inNamespace } from "./scoped-call.js";

/** The request of every list RPC over one namespace's resources. */
export interface NamespacePageRequest {
  readonly namespaceId: string;
  readonly limit: number;
  readonly cursor: string;
}

export interface ListRoute<Item extends z.ZodType, Res> {
  readonly path: string;
  readonly tags: string[];
  /** The OpenAPI operationId, camelCase: what a generated client names the call. */
  readonly operationId: string;
  readonly summary: string;
  readonly item: Item;
  /** The views of one page's resources. */
  readonly views: (listed: Res) => z.output<Item>[];
  /** The permission listing needs; "read" unless the resources are admin-only (ACL rules). */
  readonly access?: "read" | "admin";
}

/**
 * `GET <path>?limit&cursor` in the X-Namespace namespace: one page of its resources from `list`.
 * `list` is its own argument, not a field of `route`, so that its response type is inferred
 * before `route.views` is checked against it.
 */
export function registerListRoute<Item extends z.ZodType, Res extends { readonly nextCursor: string }>(
  app: FastifyInstance,
  deps: RouteDeps,
  list: UnaryCall<NamespacePageRequest, Res>,
  route: ListRoute<Item, Res>,
): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    route.path,
    {
      config: { access: route.access ?? "read" },
      schema: {
        tags: route.tags,
        operationId: route.operationId,
        summary: route.summary,
        security: BEARER,
        headers: namespaceHeaderSchema,
        querystring: listQuerySchema,
        response: { 200: listResponseSchema(route.item), ...errorResponses },
      },
    },
    async (request, reply) =>
      inNamespace(request, reply, deps, async (scope) => {
        const listed = await list(
          {
            namespaceId: scope.namespaceId,
            limit: request.query.limit ?? DEFAULT_PAGE_SIZE,
            cursor: request.query.cursor ?? "",
          },
          scope.call,
        );
        return listed.ok
          ? ok({ data: route.views(listed.value), next_cursor: stringOrNull(listed.value.nextCursor) })
          : listed;
      }),
  );
}
