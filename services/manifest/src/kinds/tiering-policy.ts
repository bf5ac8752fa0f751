import { ok } from "@strata/errors";
import type { tieringV1 } from "@strata/proto";
import { z } from "zod";
import { done, type OwningServices } from "../adapters/grpc/owning-services.js";
import type { ResourceKind, Spec } from "../domain/ports.js";
import { collectionIdsNow, collectionNames } from "./collection-names.js";

/** The policy's one resource name: a namespace has one policy. */
export const TIERING_POLICY_NAME = "policy";

// Ranges and pairings are the tier-migrator's to check (it answers every problem at once); the
// manifest checks only the shape, so the rules live in one place.
const schema = z
  .strictObject({
    hot_to_warm_after_days: z.number().nullable().default(null),
    warm_to_cold_after_days: z.number().nullable().default(null),
    cold_to_archive_after_days: z.number().nullable().default(null),
    promote_after_accesses: z.number().int().nullable().default(null),
    promote_window_hours: z.number().nullable().default(null),
    /** Collection names; empty: every collection of the namespace. */
    collections: z.array(z.string().min(1)).default([]),
  })
  .refine((p) => MOVES.some((move) => p[move] !== null), {
    message: `a tiering policy sets at least one of ${"hot_to_warm_after_days, warm_to_cold_after_days, cold_to_archive_after_days, promote_after_accesses, promote_window_hours"}; one that moves nothing is no policy (leave tiering_policy out)`,
  });

const MOVES = [
  "hot_to_warm_after_days",
  "warm_to_cold_after_days",
  "cold_to_archive_after_days",
  "promote_after_accesses",
  "promote_window_hours",
] as const;

type PolicySpec = z.infer<typeof schema>;

/**
 * The namespace's tiering policy (tier-migrator's TieringService): one object in the manifest,
 * naming its collections by name. Setting it replaces the whole policy in place; removing it sets
 * the policy that moves nothing, which is also how a namespace without one reads. The
 * tier-migrator refuses a policy invalid for the namespace (e.g. a dot-product collection demoted
 * to S3 Vectors) with every problem, and the apply answers that 422 after undoing its changes.
 */
export function tieringPolicyKind(services: OwningServices): ResourceKind {
  const client = services.tiering;
  const set = async (context: Parameters<ResourceKind["create"]>[0], policy: tieringV1.TieringPolicy) =>
    done(await client.setPolicy({ namespaceId: context.namespaceId, policy }, { caller: context.caller }));
  const write: ResourceKind["create"] = async (context, _name, spec) => {
    const s = spec as PolicySpec;
    const ids = await collectionIdsNow(services, context, s.collections);
    if (!ids.ok) return ids;
    return set(context, {
      ...(s.hot_to_warm_after_days === null ? {} : { hotToWarmAfterDays: s.hot_to_warm_after_days }),
      ...(s.warm_to_cold_after_days === null ? {} : { warmToColdAfterDays: s.warm_to_cold_after_days }),
      ...(s.cold_to_archive_after_days === null
        ? {}
        : { coldToArchiveAfterDays: s.cold_to_archive_after_days }),
      ...(s.promote_after_accesses === null ? {} : { promoteAfterAccesses: s.promote_after_accesses }),
      ...(s.promote_window_hours === null ? {} : { promoteWindowHours: s.promote_window_hours }),
      collectionIds: ids.value,
    });
  };
  return {
    section: "tiering_policy",
    singleton: TIERING_POLICY_NAME,
    order: 80,
    schema: schema as unknown as z.ZodType<Spec>,
    replaceReason: () => undefined,
    references: (spec) =>
      (spec as PolicySpec).collections.map((name, index) => ({
        section: "collections",
        name,
        field: `collections[${index}]`,
      })),
    list: async (context) => {
      const found = await client.getPolicy({ namespaceId: context.namespaceId }, { caller: context.caller });
      if (!found.ok) return found;
      const policy = found.value.policy;
      const spec = policy === undefined ? undefined : specOf(policy);
      if (spec === undefined || MOVES.every((move) => spec[move] === null)) return ok([]);
      const names = await collectionNames(services, context);
      if (!names.ok) return names;
      const collections = (policy?.collectionIds ?? []).map(names.value.nameOf);
      return ok([{ name: TIERING_POLICY_NAME, spec: { ...spec, collections } }]);
    },
    create: write,
    update: (context, name, _before, after) => write(context, name, after),
    remove: (context) => set(context, { collectionIds: [] }),
  };
}

function specOf(p: tieringV1.TieringPolicy): Record<(typeof MOVES)[number], number | null> {
  return {
    hot_to_warm_after_days: p.hotToWarmAfterDays ?? null,
    warm_to_cold_after_days: p.warmToColdAfterDays ?? null,
    cold_to_archive_after_days: p.coldToArchiveAfterDays ?? null,
    promote_after_accesses: p.promoteAfterAccesses ?? null,
    promote_window_hours: p.promoteWindowHours ?? null,
  };
}
