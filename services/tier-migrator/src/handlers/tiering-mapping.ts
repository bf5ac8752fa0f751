import { tieringV1 as proto, type tieringV1, tierToProto } from "@strata/proto";
import type { PolicyFields } from "../domain/policy.js";
import type { JobRecord, SweepStatus, SweepTrigger } from "../domain/tables.js";
import type { TierCosts } from "../domain/tier-costs.js";

const STATUS: Readonly<Record<SweepStatus, tieringV1.SweepStatus>> = {
  running: proto.SweepStatus.SWEEP_STATUS_RUNNING,
  completed: proto.SweepStatus.SWEEP_STATUS_COMPLETED,
};

const TRIGGER: Readonly<Record<SweepTrigger, tieringV1.SweepTrigger>> = {
  scheduled: proto.SweepTrigger.SWEEP_TRIGGER_SCHEDULED,
  manual: proto.SweepTrigger.SWEEP_TRIGGER_MANUAL,
  read: proto.SweepTrigger.SWEEP_TRIGGER_READ,
};

export function policyToProto(policy: PolicyFields): tieringV1.TieringPolicy {
  return {
    ...optional("hotToWarmAfterDays", policy.hot_to_warm_after_days),
    ...optional("warmToColdAfterDays", policy.warm_to_cold_after_days),
    ...optional("coldToArchiveAfterDays", policy.cold_to_archive_after_days),
    ...optional("promoteAfterAccesses", policy.promote_after_accesses),
    ...optional("promoteWindowHours", policy.promote_window_hours),
    collectionIds: [...policy.collection_ids],
  };
}

export function policyFromProto(policy: tieringV1.TieringPolicy | undefined): PolicyFields {
  return {
    hot_to_warm_after_days: policy?.hotToWarmAfterDays ?? null,
    warm_to_cold_after_days: policy?.warmToColdAfterDays ?? null,
    cold_to_archive_after_days: policy?.coldToArchiveAfterDays ?? null,
    promote_after_accesses: policy?.promoteAfterAccesses ?? null,
    promote_window_hours: policy?.promoteWindowHours ?? null,
    collection_ids: policy?.collectionIds ?? [],
  };
}

function optional<K extends string>(key: K, value: number | null): Partial<Record<K, number>> {
  return value === null ? {} : ({ [key]: value } as Record<K, number>);
}

export function jobToProto(job: JobRecord): tieringV1.SweepJob {
  const c = job.counts;
  return {
    jobId: job.id,
    namespaceId: job.namespace_id,
    status: STATUS[job.status],
    trigger: TRIGGER[job.trigger],
    counts: {
      hotToWarm: c.hot_to_warm,
      warmToCold: c.warm_to_cold,
      coldToArchive: c.cold_to_archive,
      warmToHot: c.warm_to_hot,
      coldToHot: c.cold_to_hot,
      moved: c.moved,
      unchanged: c.unchanged,
      conflict: c.conflict,
      refused: c.refused,
      failed: c.failed,
      notFound: c.not_found,
      pending: c.pending,
    },
    startedAt: new Date(job.started_at),
    ...(job.finished_at === null ? {} : { finishedAt: new Date(job.finished_at) }),
  };
}

export function costsToProto(costs: TierCosts): tieringV1.GetTierStatsResponse {
  return {
    collections: costs.collections.map((c) => ({
      collectionId: c.collectionId,
      tier: tierToProto(c.tier),
      documents: c.documents,
      vectorBytes: c.vectorBytes,
      monthlyCostUsd: c.monthlyCostUsd,
    })),
    tiers: costs.tiers.map((t) => ({
      tier: tierToProto(t.tier),
      documents: t.documents,
      vectorBytes: t.vectorBytes,
      pricePerGbMonthUsd: t.pricePerGbMonthUsd,
      monthlyCostUsd: t.monthlyCostUsd,
    })),
    monthlyCostUsd: costs.monthlyCostUsd,
  };
}
