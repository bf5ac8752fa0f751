// Test support: a tier-migrator with an in-memory namespace service, and the steps the tiering
// integration tests share (policies, documents announced by their events, sweeps, reads).
import type { Caller } from "@strata/access";
import { type ResultClient, resultClient } from "@strata/grpc";
import { newId } from "@strata/ids";
import { tieringV1 } from "@strata/proto";
import { afterEach } from "vitest";
import {
  adminOf,
  eventually,
  type MigratorHarness,
  namespaceEvent,
  publishEvents,
  startMigratorHarness,
} from "./service-harness.js";

const harnesses: MigratorHarness[] = [];

/** Closes every scenario a test set up; call once per test file. */
export function closeScenariosAfterEach(): void {
  afterEach(async () => {
    await Promise.all(harnesses.splice(0).map((h) => h.close()));
  });
}

/** A tier-migrator with its own NATS, store and in-memory namespace service, and one namespace. */
export async function setUp(overrides = {}) {
  const h = await startMigratorHarness(overrides);
  harnesses.push(h);
  const org = newId("organization");
  const namespaceId = h.namespace.addNamespace(org);
  const api = resultClient(h.client, tieringV1.TieringServiceService, { service: "tier-migrator" });
  return { h, org, namespaceId, api, admin: adminOf(org) };
}

export type TieringApi = ResultClient<typeof tieringV1.TieringServiceService>;

export const policy = (p: Partial<tieringV1.TieringPolicy>): tieringV1.TieringPolicy => ({
  collectionIds: [],
  ...p,
});

/** Documents created now, announced with document.created (seeded where the namespace has a policy). */
export async function createDocuments(
  h: MigratorHarness,
  namespaceId: string,
  collectionId: string,
  n: number,
) {
  const docs = Array.from({ length: n }, (_, i) =>
    h.namespace.addDocument(namespaceId, collectionId, Float32Array.from([i, 1, 2, 3]), h.clock.now()),
  );
  await publishEvents(
    h.nc,
    docs.map((d) =>
      namespaceEvent(
        "document.created",
        d.organizationId,
        namespaceId,
        {
          document_id: d.documentId,
          collection_id: collectionId,
          namespace_id: namespaceId,
          organization_id: d.organizationId,
          tier: "hot",
          feature_uris: ["strata://test@v1/embedding"],
        },
        d.createdAt,
      ),
    ),
  );
  return docs;
}

export async function sweepAndWait(api: TieringApi, caller: Caller, namespaceId: string) {
  const run = await api.runSweep({ namespaceId }, { caller });
  if (!run.ok) throw new Error(run.error.message);
  const jobId = run.value.job?.jobId ?? "";
  return eventually(async () => {
    const job = await api.getSweepJob({ namespaceId, jobId }, { caller });
    return job.ok && job.value.job?.status === tieringV1.SweepStatus.SWEEP_STATUS_COMPLETED
      ? job.value.job
      : undefined;
  });
}

/** A document.accessed event for one document, handled and flushed. */
export async function access(
  h: MigratorHarness,
  org: string,
  namespaceId: string,
  collectionId: string,
  documentId: string,
  tier: "hot" | "warm" | "cold",
  counts: { reads: number; hits: number },
) {
  const at = h.clock.now().toISOString();
  const event = namespaceEvent("document.accessed", org, namespaceId, {
    namespace_id: namespaceId,
    organization_id: org,
    window_start: at,
    window_end: at,
    accesses: [
      { collection_id: collectionId, document_id: documentId, tier, ...counts, last_accessed_at: at },
    ],
  });
  const added = h.service.accessEventsAdded();
  await publishEvents(h.nc, [event]);
  await eventually(() => (h.service.accessEventsAdded() > added ? true : undefined));
  await h.service.flushAccesses();
}
