import { asyncApiDocument } from "@strata/events";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";

export interface OpsDeps {
  readonly version: string;
  /** NATS connected and every backing gRPC service SERVING, each by name. */
  readonly ready: () => Promise<{ ready: boolean; checks: Record<string, boolean> }>;
}

const statusSchema = z.object({ status: z.string() });
const readySchema = z.object({
  status: z.enum(["ready", "not_ready"]),
  checks: z.record(z.string(), z.boolean()),
});
const PUBLIC = { access: "public" } as const;
const TAGS = ["Operations"];

/**
 * Probes and the machine-readable API documents: public, no key needed. Metrics are not here: they
 * are served on the metrics port (STRATA_METRICS_PORT), away from the public API.
 */
export function registerOpsRoutes(app: FastifyInstance, deps: OpsDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get(
    "/healthz",
    {
      config: PUBLIC,
      schema: {
        tags: TAGS,
        operationId: "getHealth",
        summary: "The process is up",
        security: [],
        response: { 200: statusSchema },
      },
    },
    async () => ({ status: "ok" }),
  );

  typed.get(
    "/readyz",
    {
      config: PUBLIC,
      schema: {
        tags: TAGS,
        operationId: "getReadiness",
        summary: "NATS is connected and every backing service answers SERVING; each named in checks",
        security: [],
        response: { 200: readySchema, 503: readySchema },
      },
    },
    async (_request, reply) => {
      const { ready, checks } = await deps.ready();
      return reply.code(ready ? 200 : 503).send({ status: ready ? "ready" : "not_ready", checks });
    },
  );

  const doc = (operationId: string, summary: string) => ({ tags: TAGS, operationId, summary, security: [] });
  app.get(
    "/v1/openapi.json",
    { config: PUBLIC, schema: doc("getOpenApiDocument", "This OpenAPI 3.1 document") },
    async () => app.swagger(),
  );

  app.get(
    "/v1/asyncapi.json",
    {
      config: PUBLIC,
      schema: doc("getAsyncApiDocument", "AsyncAPI 3.0 document of the domain events on NATS"),
    },
    async () => asyncApiDocument(deps.version),
  );
}
