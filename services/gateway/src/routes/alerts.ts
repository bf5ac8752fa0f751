import { ok } from "@strata/errors";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { sendAppError } from "../http/errors.js";
import { alertSchema, alertView } from "./alert-view.js";
import { errorResponses, namespaceHeaderSchema } from "./common.js";
import { registerIdentifiedRoute } from "./identified-route.js";
import { registerListRoute } from "./list-route.js";
import { queryInputSchema, queryToProto } from "./retriever-view.js";
import { BEARER, type RouteDeps } from "./route-deps.js";
import {
  createInNamespace,
  descriptionSchema,
  identifierParams,
  scopedCreateHeaderSchema,
  scopeOf,
} from "./scoped-call.js";

const alertName = z.string().min(1).max(128);
const retrieverId = z.string().min(1).max(256).describe("Retriever id or name");
const threshold = z.number().describe("A new document scoring at or above it triggers the alert");
const query = queryInputSchema.describe(
  "Resolved to a stored vector now; a document query reads the document once",
);

const createBody = z.strictObject({
  alert_name: alertName,
  description: descriptionSchema.optional(),
  retriever_id: retrieverId,
  query,
  score_threshold: threshold,
  active: z.boolean().optional().describe("Default true"),
});

const updateBody = z
  .strictObject({
    alert_name: alertName.optional(),
    description: descriptionSchema.optional(),
    retriever_id: retrieverId.optional(),
    query: query.optional(),
    score_threshold: threshold.optional(),
    active: z.boolean().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: "Give at least one field" });

const params = identifierParams("Alert");
const TAGS = ["Alerts"];

export function registerAlertRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { backends } = deps;
  const client = backends.alert;

  typed.post(
    "/v1/alerts",
    {
      config: { access: "write" },
      schema: {
        tags: TAGS,
        operationId: "createAlert",
        summary: "Create an alert: new documents near a query publish alert.triggered",
        security: BEARER,
        headers: scopedCreateHeaderSchema,
        body: createBody,
        response: { 201: alertSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body;
      return createInNamespace(request, reply, deps, 201, async (scope) => {
        const created = await client.createAlert(
          {
            namespaceId: scope.namespaceId,
            alertName: body.alert_name,
            description: body.description ?? "",
            retrieverIdentifier: body.retriever_id,
            query: queryToProto(body.query),
            scoreThreshold: body.score_threshold,
            active: body.active,
          },
          scope.call,
        );
        return created.ok ? ok(alertView(created.value.alert)) : created;
      });
    },
  );

  registerListRoute(app, deps, client.listAlerts, {
    path: "/v1/alerts",
    tags: TAGS,
    operationId: "listAlerts",
    summary: "List the alerts of a namespace",
    item: alertSchema,
    views: (listed) => listed.alerts.map(alertView),
  });

  registerIdentifiedRoute(app, deps, client.getAlert, {
    method: "GET",
    path: "/v1/alerts/:id",
    noun: "Alert",
    tags: TAGS,
    operationId: "getAlert",
    summary: "Get an alert by id or name",
    view: alertSchema,
    toView: (found) => alertView(found.alert),
  });

  typed.patch(
    "/v1/alerts/:id",
    {
      config: { access: "write" },
      schema: {
        tags: TAGS,
        operationId: "updateAlert",
        summary: "Change an alert's name, retriever, query, threshold, or pause it",
        security: BEARER,
        headers: namespaceHeaderSchema,
        params,
        body: updateBody,
        response: { 200: alertSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const scope = await scopeOf(request, deps);
      if (!scope.ok) return sendAppError(request, reply, scope.error);
      const body = request.body;
      const updated = await client.updateAlert(
        {
          namespaceId: scope.value.namespaceId,
          identifier: request.params.id,
          alertName: body.alert_name,
          description: body.description,
          retrieverIdentifier: body.retriever_id,
          query: body.query === undefined ? undefined : queryToProto(body.query),
          scoreThreshold: body.score_threshold,
          active: body.active,
        },
        scope.value.call,
      );
      if (!updated.ok) return sendAppError(request, reply, updated.error);
      return alertView(updated.value.alert);
    },
  );

  registerIdentifiedRoute(app, deps, client.deleteAlert, {
    method: "DELETE",
    path: "/v1/alerts/:id",
    noun: "Alert",
    tags: TAGS,
    operationId: "deleteAlert",
    summary: "Delete an alert",
    view: alertSchema,
    toView: (deleted) => alertView(deleted.alert),
  });
}
