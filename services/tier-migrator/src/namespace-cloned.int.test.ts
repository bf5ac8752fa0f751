import { subjectOf } from "@strata/events";
import { type ResultClient, resultClient } from "@strata/grpc";
import { cloneIdOf, newId } from "@strata/ids";
import { tieringV1 } from "@strata/proto";
import { namespaceClonedEvent } from "@strata/service-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminOf,
  eventually,
  type MigratorHarness,
  publishEvents,
  startMigratorHarness,
} from "./testing/service-harness.js";

// namespace.cloned → tier-migrator copies the source's tiering policy to the clone (ADR 0030). The
// tests publish the event the namespace service sends when a clone is ready.

let h: MigratorHarness;
let api: ResultClient<typeof tieringV1.TieringServiceService>;
const org = newId("organization");
const admin = adminOf(org);
let source = "";
let scoped = "";

const clonedEvent = (from: string, clone: string) => namespaceClonedEvent(org, from, clone);

async function policyOf(namespaceId: string) {
  const got = await api.getPolicy({ namespaceId }, { caller: admin });
  if (!got.ok) throw new Error(JSON.stringify(got.error));
  return got.value;
}

/** Clones `from` into a new namespace and waits for its policy: every event before it was handled. */
async function cloneAndWait(from: string): Promise<string> {
  const clone = h.namespace.addNamespace(org);
  await publishEvents(h.nc, [clonedEvent(from, clone)]);
  await eventually(async () => ((await policyOf(clone)).updatedAt === undefined ? undefined : true));
  return clone;
}

beforeAll(async () => {
  h = await startMigratorHarness();
  api = resultClient(h.client, tieringV1.TieringServiceService, { service: "tier-migrator" });
  source = h.namespace.addNamespace(org);
  scoped = h.namespace.addCollection(source, "cosine", "scoped");
  h.namespace.addCollection(source, "cosine", "unscoped");
  const set = await api.setPolicy(
    {
      namespaceId: source,
      policy: {
        hotToWarmAfterDays: 7,
        warmToColdAfterDays: 30,
        promoteAfterAccesses: 3,
        promoteWindowHours: 24,
        collectionIds: [scoped],
      },
    },
    { caller: admin },
  );
  if (!set.ok) throw new Error(JSON.stringify(set.error));
});
afterAll(async () => {
  await h?.close();
});

describe("namespace.cloned in tier-migrator", () => {
  it("copies the policy, its collection narrowing naming the clone's copy of the collection", async () => {
    const clone = await cloneAndWait(source);
    expect((await policyOf(clone)).policy).toEqual({
      hotToWarmAfterDays: 7,
      warmToColdAfterDays: 30,
      promoteAfterAccesses: 3,
      promoteWindowHours: 24,
      collectionIds: [cloneIdOf("collection", { namespaceId: clone }, scoped)],
    });
    expect((await policyOf(source)).policy?.collectionIds).toEqual([scoped]);
  });

  it("keeps the clone's own policy when the event is delivered again", async () => {
    const clone = h.namespace.addNamespace(org);
    const event = clonedEvent(source, clone);
    await publishEvents(h.nc, [event]);
    await eventually(async () => ((await policyOf(clone)).updatedAt === undefined ? undefined : true));
    // The clone's owner changes its policy; then the event arrives again, past the duplicate window.
    const own = { hotToWarmAfterDays: 1, collectionIds: [] };
    const changed = await api.setPolicy({ namespaceId: clone, policy: own }, { caller: admin });
    expect(changed.ok).toBe(true);
    await h.nc.jetstream().publish(subjectOf(event), JSON.stringify(event), { msgID: `${event.id}-again` });
    // Events are handled in order: once a later clone has its policy, the repeat was handled.
    await cloneAndWait(source);
    expect((await policyOf(clone)).policy).toEqual(own);
  });

  it("gives no policy to a clone of a namespace without one, or of another organization's", async () => {
    const bare = h.namespace.addNamespace(org);
    const stranger = newId("organization");
    const foreign = h.namespace.addNamespace(stranger);
    const set = await api.setPolicy(
      { namespaceId: foreign, policy: { hotToWarmAfterDays: 2, collectionIds: [] } },
      { caller: adminOf(stranger) },
    );
    expect(set.ok).toBe(true);
    const bareClone = h.namespace.addNamespace(org);
    const foreignClone = h.namespace.addNamespace(org);
    await publishEvents(h.nc, [clonedEvent(bare, bareClone), clonedEvent(foreign, foreignClone)]);
    await cloneAndWait(source);
    for (const clone of [bareClone, foreignClone]) {
      expect(await policyOf(clone)).toEqual({ policy: { collectionIds: [] }, updatedAt: undefined });
    }
  });
});
