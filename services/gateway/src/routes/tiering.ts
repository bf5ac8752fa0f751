import { ok } from "@strata/errors";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses, namespaceHeaderSchema } from "./common.js";
import { BEARER, type RouteDeps } from "./route-deps.js";
import { inNamespace } from "./scoped-call.js";
import {
  policyView,
  sweepJobSchema,
  sweepJobView,
  tieringPolicySchema,
  tierStatsSchema,
  tierStatsView,
} from "./tiering-view.js";

const TAGS = ["Tiering"];

// Types only here: tier-migrator checks ranges and the collections' metrics together, so one 422
// lists every problem.
const threshold = (what: string) =>
  z.number().nullable().optional().describe(`${what}; null or absent = off`);
const setPolicyBody = z.strictObject({
  hot_to_warm_after_days: threshold("Days unread before hot → warm, in (0, 36500]"),
  warm_to_cold_after_days: threshold("Days unread before warm → cold, in (0, 36500]"),
  cold_to_archive_after_days: threshold("Days unread before cold → archive, in (0, 36500]"),
  promote_after_accesses: z
    .number()
    .int()
    .nullable()
    .optional()
    .describe("Accesses within promote_window_hours that bring a warm document back to hot, ≥ 1"),
  promote_window_hours: threshold(
    "The promotion window in hours, in (0, 720]; set with promote_after_accesses",
  ),
  collection_ids: z
    .array(z.string())
    .max(1_000)
    .optional()
    .describe("The collections the policy applies to; absent or empty = every collection"),
});

const jobParams = z.object({ id: z.string().min(1).max(64).describe("Sweep job id (swp_…)") });

export function registerTieringRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const client = deps.backends.tiering;

  typed.get(
    "/v1/tiering/policy",
    {
      config: { access: "read" },
      schema: {
        operationId: "getTieringPolicy",
        tags: TAGS,
        summary: "Get the namespace's tiering policy",
        description:
          "A namespace without a policy answers every threshold null: nothing moves automatically.",
        security: BEARER,
        headers: namespaceHeaderSchema,
        response: { 200: tieringPolicySchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      inNamespace(request, reply, deps, async (scope) => {
        const got = await client.getPolicy({ namespaceId: scope.namespaceId }, scope.call);
        return got.ok ? ok(policyView(got.value.policy, got.value.updatedAt)) : got;
      }),
  );

  typed.put(
    "/v1/tiering/policy",
    {
      config: { access: "admin" },
      schema: {
        operationId: "setTieringPolicy",
        tags: TAGS,
        summary: "Replace the namespace's tiering policy",
        description:
          "422 lists every problem, including a collection with a dot-product feature when S3 Vectors holds the warm tier.",
        security: BEARER,
        headers: namespaceHeaderSchema,
        body: setPolicyBody,
        response: { 200: tieringPolicySchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      inNamespace(request, reply, deps, async (scope) => {
        const b = request.body;
        const set = await client.setPolicy(
          {
            namespaceId: scope.namespaceId,
            policy: {
              hotToWarmAfterDays: b.hot_to_warm_after_days ?? undefined,
              warmToColdAfterDays: b.warm_to_cold_after_days ?? undefined,
              coldToArchiveAfterDays: b.cold_to_archive_after_days ?? undefined,
              promoteAfterAccesses: b.promote_after_accesses ?? undefined,
              promoteWindowHours: b.promote_window_hours ?? undefined,
              collectionIds: b.collection_ids ?? [],
            },
          },
          scope.call,
        );
        return set.ok ? ok(policyView(set.value.policy, set.value.updatedAt)) : set;
      }),
  );

  typed.post(
    "/v1/tiering/sweep",
    {
      config: { access: "write" },
      schema: {
        operationId: "runTieringSweep",
        tags: TAGS,
        summary: "Apply the tiering policy now",
        description:
          "Plans the moves and answers the job at once; the moves run in the background at the configured rate. A sweep already running is answered instead (started: false).",
        security: BEARER,
        headers: namespaceHeaderSchema,
        response: { 202: sweepJobSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const answer = await inNamespace(request, reply, deps, async (scope) => {
        const run = await client.runSweep({ namespaceId: scope.namespaceId }, scope.call);
        return run.ok ? ok(sweepJobView(run.value.job, run.value.started)) : run;
      });
      return reply.sent ? answer : reply.code(202).send(answer);
    },
  );

  typed.get(
    "/v1/tiering/jobs/:id",
    {
      config: { access: "read" },
      schema: {
        operationId: "getTieringSweepJob",
        tags: TAGS,
        summary: "Get a sweep job and its counts",
        security: BEARER,
        headers: namespaceHeaderSchema,
        params: jobParams,
        response: { 200: sweepJobSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      inNamespace(request, reply, deps, async (scope) => {
        const got = await client.getSweepJob(
          { namespaceId: scope.namespaceId, jobId: request.params.id },
          scope.call,
        );
        return got.ok ? ok(sweepJobView(got.value.job, false)) : got;
      }),
  );

  typed.get(
    "/v1/tiering/stats",
    {
      config: { access: "read" },
      schema: {
        operationId: "getTierStats",
        tags: TAGS,
        summary: "Documents, bytes and estimated monthly cost per tier",
        description:
          "Per collection and per tier, from the namespace service's figures and the configured prices.",
        security: BEARER,
        headers: namespaceHeaderSchema,
        response: { 200: tierStatsSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      inNamespace(request, reply, deps, async (scope) => {
        const stats = await client.getTierStats({ namespaceId: scope.namespaceId }, scope.call);
        return stats.ok ? ok(tierStatsView(stats.value)) : stats;
      }),
  );
}
