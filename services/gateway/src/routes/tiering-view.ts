import { TIERS } from "@strata/contracts";
import { tierFromProto, tieringV1 } from "@strata/proto";
import { z } from "zod";
import { isoOrNull, timestamp } from "./common.js";

const days = (what: string) =>
  z
    .number()
    .nullable()
    .describe(
      `${what}; reads count from when the namespace's policy was first set, so no document is unread for longer than that; null switches the move off`,
    );

export const tieringPolicySchema = z
  .object({
    hot_to_warm_after_days: days("Days unread before a hot document moves to warm"),
    warm_to_cold_after_days: days("Days unread before a warm document moves to cold"),
    cold_to_archive_after_days: days("Days unread before a cold document is archived (off by default)"),
    promote_after_accesses: z
      .number()
      .int()
      .nullable()
      .describe("Reads and search hits within the window that bring a warm document back to hot"),
    promote_window_hours: z.number().nullable().describe("The promotion window"),
    collection_ids: z.array(z.string()).describe("The collections it applies to; empty = every collection"),
    updated_at: timestamp.nullable().describe("Null while the namespace has no policy (nothing moves)"),
  })
  .meta({ id: "TieringPolicy" });

const tierEnum = z.enum(TIERS);

export const sweepJobSchema = z
  .object({
    job_id: z.string(),
    status: z.enum(["running", "completed"]),
    trigger: z.enum(["scheduled", "manual", "read"]),
    started: z.boolean().describe("False when this is a sweep that was already running"),
    planned: z
      .object({
        hot_to_warm: z.number().int(),
        warm_to_cold: z.number().int(),
        cold_to_archive: z.number().int(),
        warm_to_hot: z.number().int(),
        cold_to_hot: z.number().int(),
      })
      .describe("Moves the sweep planned, by direction"),
    outcomes: z
      .object({
        moved: z.number().int(),
        unchanged: z.number().int(),
        conflict: z.number().int().describe("The document had moved or changed meanwhile"),
        refused: z.number().int().describe("The target tier cannot hold it"),
        failed: z.number().int().describe("A store failed; the next sweep tries again"),
        not_found: z.number().int(),
        pending: z.number().int().describe("Not sent yet"),
      })
      .describe("What became of the moves so far"),
    started_at: timestamp,
    finished_at: timestamp.nullable(),
  })
  .meta({ id: "TieringSweepJob" });

export const tierStatsSchema = z
  .object({
    collections: z.array(
      z.object({
        collection_id: z.string(),
        tier: tierEnum,
        documents: z.number().int(),
        vector_bytes: z.number().int(),
        monthly_cost_usd: z.number(),
      }),
    ),
    tiers: z.array(
      z.object({
        tier: tierEnum,
        documents: z.number().int(),
        vector_bytes: z.number().int(),
        price_per_gb_month_usd: z.number().describe("The configured price (GB = 2^30 bytes)"),
        monthly_cost_usd: z.number(),
      }),
    ),
    monthly_cost_usd: z.number().describe("Estimated from the vectors each tier stores"),
  })
  .meta({ id: "TierStats" });

export function policyView(policy: tieringV1.TieringPolicy | undefined, updatedAt: Date | undefined) {
  return {
    hot_to_warm_after_days: policy?.hotToWarmAfterDays ?? null,
    warm_to_cold_after_days: policy?.warmToColdAfterDays ?? null,
    cold_to_archive_after_days: policy?.coldToArchiveAfterDays ?? null,
    promote_after_accesses: policy?.promoteAfterAccesses ?? null,
    promote_window_hours: policy?.promoteWindowHours ?? null,
    collection_ids: policy?.collectionIds ?? [],
    updated_at: isoOrNull(updatedAt),
  };
}

export function sweepJobView(
  job: tieringV1.SweepJob | undefined,
  started: boolean,
): z.infer<typeof sweepJobSchema> {
  if (job === undefined) throw new Error("tier-migrator answered without a job");
  const c = job.counts;
  return {
    job_id: job.jobId,
    status: job.status === tieringV1.SweepStatus.SWEEP_STATUS_COMPLETED ? "completed" : "running",
    trigger:
      job.trigger === tieringV1.SweepTrigger.SWEEP_TRIGGER_MANUAL
        ? "manual"
        : job.trigger === tieringV1.SweepTrigger.SWEEP_TRIGGER_READ
          ? "read"
          : "scheduled",
    started,
    planned: {
      hot_to_warm: c?.hotToWarm ?? 0,
      warm_to_cold: c?.warmToCold ?? 0,
      cold_to_archive: c?.coldToArchive ?? 0,
      warm_to_hot: c?.warmToHot ?? 0,
      cold_to_hot: c?.coldToHot ?? 0,
    },
    outcomes: {
      moved: c?.moved ?? 0,
      unchanged: c?.unchanged ?? 0,
      conflict: c?.conflict ?? 0,
      refused: c?.refused ?? 0,
      failed: c?.failed ?? 0,
      not_found: c?.notFound ?? 0,
      pending: c?.pending ?? 0,
    },
    started_at: isoOrNull(job.startedAt) ?? new Date(0).toISOString(),
    finished_at: isoOrNull(job.finishedAt),
  };
}

export function tierStatsView(stats: tieringV1.GetTierStatsResponse): z.infer<typeof tierStatsSchema> {
  const tierOf = (tier: number) => tierFromProto(tier) ?? "hot";
  return {
    collections: stats.collections.map((c) => ({
      collection_id: c.collectionId,
      tier: tierOf(c.tier),
      documents: c.documents,
      vector_bytes: c.vectorBytes,
      monthly_cost_usd: c.monthlyCostUsd,
    })),
    tiers: stats.tiers.map((t) => ({
      tier: tierOf(t.tier),
      documents: t.documents,
      vector_bytes: t.vectorBytes,
      price_per_gb_month_usd: t.pricePerGbMonthUsd,
      monthly_cost_usd: t.monthlyCostUsd,
    })),
    monthly_cost_usd: stats.monthlyCostUsd,
  };
}
