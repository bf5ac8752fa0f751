import type { aclV1 } from "@strata/proto";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses, namespaceHeaderSchema, timestamp } from "./common.js";
import { registerListRoute } from "./list-route.js";
import { BEARER, type RouteDeps } from "./route-deps.js";
import { createInNamespace, inNamespace, scopedCreateHeaderSchema } from "./scoped-call.js";

const condition = z
  .record(z.string(), z.unknown())
  .describe(
    "A filter (the retriever filter language); may reference $user.id, $user.roles, $user.attributes.<name>",
  );
const effect = z.enum(["allow", "deny"]);
const ruleName = z.string().min(1).max(100);
const collectionIds = z
  .array(z.string().min(1).max(64))
  .max(100)
  .describe("Collection ids (col_…); empty: all");

const ruleSchema = z
  .object({
    rule_id: z.string(),
    rule_name: z.string(),
    effect,
    condition: z.record(z.string(), z.unknown()),
    collection_ids: z.array(z.string()),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: "AclRule" });

const createBody = z.strictObject({
  rule_name: ruleName,
  effect,
  condition,
  collection_ids: collectionIds.optional(),
});

const updateBody = z.strictObject({
  rule_name: ruleName.optional(),
  effect: effect.optional(),
  condition: condition.optional(),
  collection_ids: collectionIds.optional(),
});

const params = z.object({ rule: z.string().min(1).max(256).describe("Rule id (rul_…) or name") });

function ruleView(rule: aclV1.AclRule | undefined) {
  return {
    rule_id: rule?.ruleId ?? "",
    rule_name: rule?.ruleName ?? "",
    effect: rule?.effect === "allow" ? ("allow" as const) : ("deny" as const),
    condition: { ...(rule?.condition ?? {}) },
    collection_ids: [...(rule?.collectionIds ?? [])],
    created_at: rule?.createdAt?.toISOString() ?? "",
    updated_at: rule?.updatedAt?.toISOString() ?? "",
  };
}

const TAGS = ["ACL rules"];

/**
 * ACL rules of the X-Namespace namespace (ADR 0018): visible = (public OR caller ∈ read OR a caller
 * role ∈ read OR an allow rule matches) AND no deny rule matches. Organization admin keys only.
 */
export function registerAclRuleRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const acl = deps.backends.acl;

  typed.post(
    "/v1/acl/rules",
    {
      config: { access: "admin" },
      schema: {
        operationId: "createAclRule",
        tags: TAGS,
        summary: "Create an ACL rule",
        description: "Takes effect on every replica within a second.",
        security: BEARER,
        headers: scopedCreateHeaderSchema,
        body: createBody,
        response: { 201: ruleSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      createInNamespace(request, reply, deps, 201, async (scope) => {
        const b = request.body;
        const created = await acl.createAclRule(
          {
            namespaceId: scope.namespaceId,
            ruleName: b.rule_name,
            effect: b.effect,
            condition: b.condition,
            collectionIds: b.collection_ids ?? [],
          },
          scope.call,
        );
        return created.ok ? { ok: true, value: ruleView(created.value.rule) } : created;
      }),
  );

  registerListRoute(app, deps, acl.listAclRules, {
    path: "/v1/acl/rules",
    tags: TAGS,
    operationId: "listAclRules",
    summary: "List ACL rules",
    item: ruleSchema,
    views: (listed) => listed.rules.map(ruleView),
    access: "admin",
  });

  typed.get(
    "/v1/acl/rules/:rule",
    {
      config: { access: "admin" },
      schema: {
        operationId: "getAclRule",
        tags: TAGS,
        summary: "Get an ACL rule",
        security: BEARER,
        headers: namespaceHeaderSchema,
        params,
        response: { 200: ruleSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      inNamespace(request, reply, deps, async (scope) => {
        const got = await acl.getAclRule(
          { namespaceId: scope.namespaceId, rule: request.params.rule },
          scope.call,
        );
        return got.ok ? { ok: true, value: ruleView(got.value.rule) } : got;
      }),
  );

  typed.patch(
    "/v1/acl/rules/:rule",
    {
      config: { access: "admin" },
      schema: {
        operationId: "updateAclRule",
        tags: TAGS,
        summary: "Change an ACL rule",
        description: "Each given field is replaced whole. Takes effect on every replica within a second.",
        security: BEARER,
        headers: namespaceHeaderSchema,
        params,
        body: updateBody,
        response: { 200: ruleSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      inNamespace(request, reply, deps, async (scope) => {
        const b = request.body;
        const updated = await acl.updateAclRule(
          {
            namespaceId: scope.namespaceId,
            rule: request.params.rule,
            ruleName: b.rule_name,
            effect: b.effect,
            condition: b.condition,
            setCollectionIds: b.collection_ids !== undefined,
            collectionIds: b.collection_ids ?? [],
          },
          scope.call,
        );
        return updated.ok ? { ok: true, value: ruleView(updated.value.rule) } : updated;
      }),
  );

  typed.delete(
    "/v1/acl/rules/:rule",
    {
      config: { access: "admin" },
      schema: {
        operationId: "deleteAclRule",
        tags: TAGS,
        summary: "Delete an ACL rule",
        security: BEARER,
        headers: namespaceHeaderSchema,
        params,
        response: { 200: ruleSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      inNamespace(request, reply, deps, async (scope) => {
        const deleted = await acl.deleteAclRule(
          { namespaceId: scope.namespaceId, rule: request.params.rule },
          scope.call,
        );
        return deleted.ok ? { ok: true, value: ruleView(deleted.value.rule) } : deleted;
      }),
  );
}
