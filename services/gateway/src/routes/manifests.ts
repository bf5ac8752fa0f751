import { type AppError, badRequest, err, ok, type Result } from "@strata/errors";
import { manifestV1 } from "@strata/proto";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { stringify } from "yaml";
import { z } from "zod";
import { errorResponses, namespaceHeaderSchema } from "./common.js";
import {
  acceptManifestBodies,
  documentOf,
  type ManifestBody,
  manifestBodySchema,
  manifestQuerySchema,
} from "./manifest-input.js";
import { BEARER, type RouteDeps } from "./route-deps.js";
import { inNamespace } from "./scoped-call.js";

const TAGS = ["Manifests"];
const BODY_DOC =
  "The body is JSON (this schema), or the manifest itself as YAML (Content-Type application/yaml), or multipart/form-data with the manifest in `manifest_file` and the options as fields (`secrets` as JSON). Query parameters prune, dry_run and expected_plan_hash apply to every form.";

const resourceList = (what: string) =>
  z
    .array(z.record(z.string(), z.unknown()))
    .optional()
    .describe(`${what}, each with a name and an optional protect`);

// The document's outline; the manifest service checks every field (and answers each problem).
const manifestSchema = z
  .looseObject({
    version: z.literal("1.0"),
    metadata: z.object({ name: z.string() }),
    buckets: resourceList("Buckets"),
    collections: resourceList("Collections"),
    taxonomies: resourceList("Taxonomies"),
    retrievers: resourceList("Retrievers, naming their collections"),
    alerts: resourceList("Alerts, naming their retriever"),
    acl_rules: resourceList("Document ACL rules, naming their collections"),
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the manifest's secret reference syntax, not a template
    webhooks: resourceList("Webhooks; header values as ${{ secrets.NAME }}"),
    tiering_policy: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("The namespace's one tiering policy (an object, not a list), naming its collections"),
  })
  .describe(
    "version, metadata.name, one list per resource kind in dependency order (buckets, collections, taxonomies, retrievers, alerts, acl_rules, webhooks) and the tiering_policy object",
  )
  .meta({ id: "Manifest" });

type ManifestDocument = z.infer<typeof manifestSchema>;

const fieldChangeSchema = z
  .object({
    field: z.string(),
    before: z.unknown(),
    after: z.unknown(),
    rebind: z.boolean().optional().describe("Unchanged by name; re-pointed at a resource this plan replaces"),
  })
  .meta({ id: "ManifestFieldChange" });

const plannedChangeSchema = z
  .object({
    kind: z.string(),
    name: z.string(),
    action: z.enum(["create", "update", "replace", "delete", "no-op"]),
    fields: z.array(fieldChangeSchema),
    before: z.record(z.string(), z.unknown()).nullable(),
    after: z.record(z.string(), z.unknown()).nullable(),
    protect: z.boolean(),
    reason: z
      .string()
      .optional()
      .describe("Why the change is not made in place: a replace, or a dependent deleted and created again"),
  })
  .meta({ id: "ManifestPlannedChange" });

const planSchema = z
  .object({
    plan_hash: z.string().describe("Give it back as expected_plan_hash to apply exactly this plan"),
    summary: z.record(z.string(), z.number().int()),
    changes: z.array(plannedChangeSchema),
    plan_text: z.string().describe("The plan for people: + create, ~ update, -/+ replace, - delete"),
  })
  .meta({ id: "ManifestPlan" });

const applyResultSchema = z
  .object({
    apply_id: z.string().nullable().describe("Null when nothing changed (dry run or no changes)"),
    dry_run: z.boolean(),
    changed: z.boolean(),
    plan: planSchema,
  })
  .meta({ id: "ManifestApplyResult" });

const exportQuerySchema = z.strictObject({
  format: z
    .enum(["yaml", "json"])
    .optional()
    .describe("Default: YAML unless Accept asks for application/json"),
  name: z.string().min(1).max(128).optional().describe("metadata.name; default the namespace's id"),
});

export function registerManifestRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.register(async (scope) => {
    acceptManifestBodies(scope);
    registerRoutes(scope, deps);
  });
}

function registerRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const client = deps.backends.manifest;

  typed.get(
    "/v1/manifest/export",
    {
      config: { access: "read" },
      schema: {
        operationId: "exportManifest",
        tags: TAGS,
        summary: "Export the namespace's configuration as a manifest (YAML by default)",
        description:
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the manifest's secret reference syntax, not a template
          "Secrets are exported as `${{ secrets.NAME }}`. JSON with `?format=json` or `Accept: application/json`.",
        security: BEARER,
        headers: namespaceHeaderSchema,
        querystring: exportQuerySchema,
        response: { 200: manifestSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const exported = await inNamespace(request, reply, deps, async (s) => {
        const answer = await client.exportManifest(
          { namespaceId: s.namespaceId, manifestName: request.query.name ?? "" },
          s.call,
        );
        return answer.ok ? ok(JSON.parse(answer.value.manifestJson) as ManifestDocument) : answer;
      });
      if (reply.sent) return reply;
      const json =
        request.query.format === "json" ||
        (request.query.format === undefined && wantsJson(request.headers.accept));
      if (json) return exported;
      // A string with a non-JSON type is sent as it is (the JSON schema serializer does not run).
      return reply
        .type("application/yaml; charset=utf-8")
        .send(stringify(exported) as unknown as ManifestDocument);
    },
  );

  typed.post(
    "/v1/manifest/diff",
    {
      config: { access: "read" },
      schema: {
        operationId: "diffManifest",
        tags: TAGS,
        summary: "Plan what applying a manifest would change",
        description: BODY_DOC,
        security: BEARER,
        headers: namespaceHeaderSchema,
        querystring: manifestQuerySchema,
        body: manifestBodySchema,
        response: { 200: planSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      inNamespace(request, reply, deps, async (s) => {
        const input = inputOf(request.body, request.query);
        if (!input.ok) return input;
        const answer = await client.diffManifest(
          { namespaceId: s.namespaceId, input: input.value.input },
          s.call,
        );
        if (!answer.ok) return answer;
        return ok({
          ...(JSON.parse(answer.value.planJson) as object),
          plan_text: answer.value.planText,
        } as z.infer<typeof planSchema>);
      }),
  );

  typed.post(
    "/v1/manifest/apply",
    {
      config: { access: "write" },
      schema: {
        operationId: "applyManifest",
        tags: TAGS,
        summary: "Apply a manifest: create, update, replace and (with prune) delete, all or nothing",
        description: `${BODY_DOC} Two applies on one namespace never interleave.`,
        security: BEARER,
        headers: namespaceHeaderSchema,
        querystring: manifestQuerySchema,
        body: manifestBodySchema,
        response: { 200: applyResultSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      inNamespace(request, reply, deps, async (s) => {
        const input = inputOf(request.body, request.query);
        if (!input.ok) return input;
        const answer = await client.applyManifest(
          {
            namespaceId: s.namespaceId,
            input: input.value.input,
            dryRun: input.value.dryRun,
            expectedPlanHash: input.value.expectedPlanHash,
          },
          s.call,
        );
        if (!answer.ok) return answer;
        const result = JSON.parse(answer.value.resultJson) as Record<string, unknown> & { plan_text: string };
        const { plan_text, plan, ...rest } = result;
        return ok({ ...rest, plan: { ...(plan as object), plan_text } } as z.infer<typeof applyResultSchema>);
      }),
  );
}

function wantsJson(accept: string | undefined): boolean {
  return accept !== undefined && /application\/json/i.test(accept) && !/yaml/i.test(accept);
}

interface Input {
  readonly input: manifestV1.ManifestInput;
  readonly dryRun: boolean;
  readonly expectedPlanHash: string;
}

function inputOf(body: ManifestBody, query: z.infer<typeof manifestQuerySchema>): Result<Input, AppError> {
  const { document, json } = documentOf(body.manifest);
  if (document.trim() === "") return err(badRequest("The manifest is empty"));
  const flag = (fromBody: boolean | undefined, fromQuery: "true" | "false" | undefined) =>
    fromBody ?? fromQuery === "true";
  return ok({
    input: {
      document,
      format: json
        ? manifestV1.DocumentFormat.DOCUMENT_FORMAT_JSON
        : manifestV1.DocumentFormat.DOCUMENT_FORMAT_YAML,
      secrets: body.secrets ?? {},
      prune: flag(body.prune, query.prune),
    },
    dryRun: flag(body.dry_run, query.dry_run),
    expectedPlanHash: body.expected_plan_hash ?? query.expected_plan_hash ?? "",
  });
}
