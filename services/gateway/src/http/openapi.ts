import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import { jsonSchemaTransform, jsonSchemaTransformObject } from "fastify-type-provider-zod";
import { documentAlternateBodies } from "./openapi-bodies.js";
import { type Json, nameInlineSchemas } from "./openapi-names.js";
import { documentObjectRoutes } from "./openapi-objects.js";
import { describeResponses } from "./openapi-responses.js";

/**
 * OpenAPI 3.1 built by @fastify/swagger from the very zod schemas that validate requests (so the
 * document cannot drift from the behaviour). Register before the routes: swagger collects them as
 * they are added.
 */
export async function registerOpenApi(app: FastifyInstance, options: { version: string }): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Strata API",
        version: options.version,
        description:
          "Namespaced, access-controlled document and vector data. Authenticate with " +
          "`Authorization: Bearer sk_live_…`. Namespace-scoped calls name their namespace with the " +
          "`X-Namespace` header (a namespace id or name). Every POST that creates something accepts " +
          "an `Idempotency-Key` header. Errors share one body: `{success:false, status, error:{type, " +
          "message, details}, request_id}`; every answer carries `X-Request-Id`.",
        license: { name: "Apache-2.0", identifier: "Apache-2.0" },
      },
      // `npm start` listens here; a deployment serves the same paths under its own origin.
      servers: [{ url: "http://127.0.0.1:8080", description: "A local platform (npm start)" }],
      components: {
        securitySchemes: {
          bearerAuth: { type: "http", scheme: "bearer", description: "An API key, sk_live_…" },
        },
      },
      security: [{ bearerAuth: [] }],
    },
    transform: jsonSchemaTransform,
    // Named components, response descriptions and headers, the object routes and the bodies that
    // are not JSON, on top of what the zod schemas give (see the modules imported above).
    transformObject: (input) => {
      const doc = jsonSchemaTransformObject(input) as Json;
      documentObjectRoutes(doc);
      documentAlternateBodies(doc);
      nameInlineSchemas(doc);
      describeResponses(doc);
      return doc as ReturnType<typeof jsonSchemaTransformObject>;
    },
  });
}

/** The readable docs page; its assets are bundled with @fastify/swagger-ui and served from here. */
export async function registerDocsPage(app: FastifyInstance): Promise<void> {
  await app.register(async (scope) => {
    // The docs page and its assets need no key.
    scope.addHook("onRoute", (route) => {
      route.config = { ...route.config, access: "public" };
    });
    await scope.register(swaggerUi, { routePrefix: "/docs", uiConfig: { deepLinking: true } });
  });
}
