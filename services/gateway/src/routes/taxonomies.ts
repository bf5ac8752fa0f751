import { MAX_TAXONOMY_NODES } from "@strata/contracts";
import { ok } from "@strata/errors";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { sendAppError } from "../http/errors.js";
import { errorResponses, namespaceHeaderSchema } from "./common.js";
import { registerIdentifiedRoute } from "./identified-route.js";
import { registerListRoute } from "./list-route.js";
import { BEARER, type RouteDeps } from "./route-deps.js";
import {
  createInNamespace,
  descriptionSchema,
  identifierParams,
  scopedCreateHeaderSchema,
  scopeOf,
} from "./scoped-call.js";
import { nodesToProto, taxonomySchema, taxonomyView } from "./taxonomy-view.js";

const taxonomyName = z.string().min(1).max(128);
const label = z.string().min(1).max(256);
const nodes = z
  .array(z.strictObject({ label, parent: label.optional().describe("The parent's label; omit for a root") }))
  .max(MAX_TAXONOMY_NODES);

const createBody = z.strictObject({
  taxonomy_name: taxonomyName,
  description: descriptionSchema.optional(),
  nodes,
});

const updateBody = z
  .strictObject({
    taxonomy_name: taxonomyName.optional(),
    description: descriptionSchema.optional(),
    nodes: nodes.optional().describe("Replaces every node; labels documents carry cannot be removed"),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: "Give at least one field" });

const params = identifierParams("Taxonomy");
const TAGS = ["Taxonomies"];

export function registerTaxonomyRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { backends } = deps;
  const client = backends.taxonomy;

  typed.post(
    "/v1/taxonomies",
    {
      config: { access: "write" },
      schema: {
        tags: TAGS,
        operationId: "createTaxonomy",
        summary: "Create a taxonomy",
        security: BEARER,
        headers: scopedCreateHeaderSchema,
        body: createBody,
        response: { 201: taxonomySchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body;
      return createInNamespace(request, reply, deps, 201, async (scope) => {
        const created = await client.createTaxonomy(
          {
            namespaceId: scope.namespaceId,
            taxonomyName: body.taxonomy_name,
            description: body.description ?? "",
            nodes: nodesToProto(body.nodes),
          },
          scope.call,
        );
        return created.ok ? ok(taxonomyView(created.value.taxonomy)) : created;
      });
    },
  );

  registerListRoute(app, deps, client.listTaxonomies, {
    path: "/v1/taxonomies",
    tags: TAGS,
    operationId: "listTaxonomies",
    summary: "List the taxonomies of a namespace",
    item: taxonomySchema,
    views: (listed) => listed.taxonomies.map(taxonomyView),
  });

  registerIdentifiedRoute(app, deps, client.getTaxonomy, {
    method: "GET",
    path: "/v1/taxonomies/:id",
    noun: "Taxonomy",
    tags: TAGS,
    operationId: "getTaxonomy",
    summary: "Get a taxonomy by id or name",
    view: taxonomySchema,
    toView: (found) => taxonomyView(found.taxonomy),
  });

  typed.patch(
    "/v1/taxonomies/:id",
    {
      config: { access: "write" },
      schema: {
        tags: TAGS,
        operationId: "updateTaxonomy",
        summary: "Rename a taxonomy or replace its nodes",
        security: BEARER,
        headers: namespaceHeaderSchema,
        params,
        body: updateBody,
        response: { 200: taxonomySchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const scope = await scopeOf(request, deps);
      if (!scope.ok) return sendAppError(request, reply, scope.error);
      const body = request.body;
      const updated = await client.updateTaxonomy(
        {
          namespaceId: scope.value.namespaceId,
          identifier: request.params.id,
          taxonomyName: body.taxonomy_name,
          description: body.description,
          nodes: body.nodes === undefined ? undefined : { nodes: nodesToProto(body.nodes) },
        },
        scope.value.call,
      );
      if (!updated.ok) return sendAppError(request, reply, updated.error);
      return taxonomyView(updated.value.taxonomy);
    },
  );

  registerIdentifiedRoute(app, deps, client.deleteTaxonomy, {
    method: "DELETE",
    path: "/v1/taxonomies/:id",
    noun: "Taxonomy",
    tags: TAGS,
    operationId: "deleteTaxonomy",
    summary: "Delete a taxonomy (refused while documents carry its labels)",
    view: taxonomySchema,
    toView: (deleted) => taxonomyView(deleted.taxonomy),
  });
}
