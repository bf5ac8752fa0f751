import { ok } from "@strata/errors";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { sendAppError } from "../http/errors.js";
import { answerIdempotently } from "../http/idempotent-answer.js";
import { callerOf, traceContextOf } from "../http/request-state.js";
import { cloneAcceptedSchema, cloneStatusSchema, cloneStatusView } from "./clone-view.js";
import { errorResponses, idempotencyHeaderSchema, idParamsSchema } from "./common.js";
import { namespaceView } from "./namespace-view.js";
import { description, idOrNameParams, namespaceName } from "./namespaces.js";
import { BEARER, type RouteDeps } from "./route-deps.js";

const cloneBody = z.strictObject({
  namespace_name: namespaceName.describe("The clone's name (unique in the organization)"),
  description: description.optional().describe("Default: the source's description"),
  include_webhooks: z
    .boolean()
    .optional()
    .describe("Copy the source's webhooks too; they arrive inactive (they point at outside systems)"),
});

// A running clone answers 409 to a lookup (and a failed one has no namespace left), so the status
// and the cancel name the clone by the id the clone call answered, not through the resolver.
const cloneIdParams = idParamsSchema.extend({
  id: z.string().describe("The clone's namespace id (ns_…), as POST …/clone answered it"),
});

const TAGS = ["Namespaces"];

/** Namespace clones (ADR 0024, 0028): start one, follow it, cancel it. */
export function registerNamespaceCloneRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const client = deps.backends.clone;

  typed.post(
    "/v1/namespaces/:id/clone",
    {
      // Like creating a namespace: a clone is a new namespace of the organization.
      config: { access: "admin" },
      schema: {
        tags: TAGS,
        operationId: "cloneNamespace",
        summary: "Clone a namespace; answers at once, GET …/clone-status follows the copy",
        description:
          "The clone is a point-in-time copy of the source as of this call, sharing no mutable state " +
          "with it. Until it is ready, every other request naming the clone answers 409.",
        security: BEARER,
        headers: idempotencyHeaderSchema,
        params: idOrNameParams,
        body: cloneBody,
        response: { 202: cloneAcceptedSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const trace = traceContextOf(request);
      // The resolver applies the key's scope: a source outside the organization is the same 404.
      const source = await deps.namespaces.resolve(caller, request.params.id, trace);
      if (!source.ok) return sendAppError(request, reply, source.error);
      await answerIdempotently(request, reply, deps.idempotency, async () => {
        const accepted = await client.cloneNamespace(
          {
            sourceIdentifier: source.value.namespaceId,
            namespaceName: request.body.namespace_name,
            description: request.body.description,
            includeWebhooks: request.body.include_webhooks ?? false,
          },
          { caller, trace },
        );
        if (!accepted.ok) return accepted;
        const task = cloneStatusView(accepted.value.task);
        return ok({
          status: 202,
          body: {
            namespace: namespaceView(accepted.value.namespace),
            source_namespace_id: source.value.namespaceId,
            status: "cloning",
            task_id: task.task_id,
          },
        });
      });
      return reply;
    },
  );

  typed.get(
    "/v1/namespaces/:id/clone-status",
    {
      config: { access: "read" },
      schema: {
        tags: TAGS,
        operationId: "getCloneStatus",
        summary: "How a clone is doing: status, progress per kind, and why it failed",
        security: BEARER,
        params: cloneIdParams,
        response: { 200: cloneStatusSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const status = await client.getCloneStatus(
        { namespaceId: request.params.id },
        { caller: callerOf(request), trace: traceContextOf(request) },
      );
      if (!status.ok) return sendAppError(request, reply, status.error);
      return cloneStatusView(status.value.task);
    },
  );

  typed.post(
    "/v1/namespaces/:id/clone/cancel",
    {
      config: { access: "admin" },
      schema: {
        tags: TAGS,
        operationId: "cancelClone",
        summary: "Stop a running clone; what it wrote is removed and its name is free again",
        description: "Cancelling a clone that is ready answers 409: delete the namespace instead.",
        security: BEARER,
        params: cloneIdParams,
        response: { 200: cloneStatusSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const cancelled = await client.cancelClone(
        { namespaceId: request.params.id },
        { caller: callerOf(request), trace: traceContextOf(request) },
      );
      if (!cancelled.ok) return sendAppError(request, reply, cancelled.error);
      return cloneStatusView(cancelled.value.task);
    },
  );
}
