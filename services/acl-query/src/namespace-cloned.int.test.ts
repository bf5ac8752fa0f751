import * as grpc from "@grpc/grpc-js";
import type { Caller } from "@strata/access";
import { ensureEventStream } from "@strata/bus";
import { subjectOf } from "@strata/events";
import { clientInterceptors, type UnaryInvoker } from "@strata/grpc";
import { cloneIdOf, newId } from "@strata/ids";
import { aclV1, collectionV1 } from "@strata/proto";
import {
  createTestCaller,
  eventually,
  namespaceClonedEvent,
  publishEvents,
} from "@strata/service-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AclQueryHarness,
  callAs,
  INTERNAL_TOKEN,
  must,
  readEventStream,
  startAclQueryHarness,
} from "./testing/service-harness.js";

// namespace.cloned → acl-query copies the source's retrievers, alerts and ACL rules (ADR 0030).
// The clone route is built elsewhere, so the tests publish the event the namespace service sends.

const URI = "strata://test@v1/embedding";
const ORG = newId("organization");
const admin = createTestCaller(ORG);

let h: AclQueryHarness;
let rules: aclV1.AclServiceClient;

const call = <C, Req, Res>(
  client: C,
  method: (client: C) => UnaryInvoker<Req, Res>,
  request: Req,
  caller: Caller = admin,
) => callAs(caller, client, method, request);

async function createNamespace(name: string, caller: Caller = admin): Promise<string> {
  const created = must(
    await call(h.namespaces, (c) => c.createNamespace, { namespaceName: name, description: "" }, caller),
  );
  return created.namespace?.namespaceId ?? "";
}

interface Source {
  readonly namespaceId: string;
  readonly collectionId: string;
  readonly retrieverId: string;
  readonly alertId: string;
  readonly ruleId: string;
}

/** A namespace with a collection, a retriever over it, an alert on the retriever and an ACL rule. */
async function namespaceWithQueries(name: string, caller: Caller = admin): Promise<Source> {
  const as = async <C, Req, Res>(client: C, method: (c: C) => UnaryInvoker<Req, Res>, request: Req) =>
    must(await call(client, method, request, caller));
  const namespaceId = await createNamespace(name, caller);
  const feature = {
    featureUri: URI,
    dimensions: 3,
    metric: collectionV1.DistanceMetric.DISTANCE_METRIC_COSINE,
  };
  const collection = await as(h.collections, (c) => c.createCollection, {
    namespaceId,
    collectionName: "items",
    description: "",
    features: [feature],
    indexedFields: ["team"],
  });
  const collectionId = collection.collection?.collectionId ?? "";
  const retriever = await as(h.retrievers, (c) => c.createRetriever, {
    namespaceId,
    retrieverName: `near-${name}`,
    description: "the closest items",
    collectionIdentifiers: ["items"],
    featureUri: URI,
    topK: 7,
  });
  const retrieverId = retriever.retriever?.retrieverId ?? "";
  const alert = await as(h.alerts, (c) => c.createAlert, {
    namespaceId,
    alertName: "watch",
    description: "",
    retrieverIdentifier: retrieverId,
    query: { vector: { values: [1, 0, 0] } },
    scoreThreshold: 0.9,
  });
  const rule = await as(rules, (c) => c.createAclRule, {
    namespaceId,
    ruleName: "same-team",
    effect: "allow",
    condition: { AND: [{ field: "metadata.team", operator: "eq", value: "$user.attributes.team" }] },
    collectionIds: [collectionId],
  });
  return {
    namespaceId,
    collectionId,
    retrieverId,
    alertId: alert.alert?.alertId ?? "",
    ruleId: rule.rule?.ruleId ?? "",
  };
}

const clonedEvent = (source: string, clone: string, organizationId: string = ORG) =>
  namespaceClonedEvent(organizationId, source, clone);

async function queriesOf(namespaceId: string) {
  const list = { namespaceId, limit: 100, cursor: "" };
  return {
    retrievers: must(await call(h.retrievers, (c) => c.listRetrievers, list)).retrievers,
    alerts: must(await call(h.alerts, (c) => c.listAlerts, list)).alerts,
    rules: must(await call(rules, (c) => c.listAclRules, list)).rules,
  };
}

/** Waits until the clone holds its rule: the copy writes rules last, so the copy has finished. */
const copied = (clone: string) =>
  eventually(async () => ((await queriesOf(clone)).rules.length > 0 ? true : undefined));

async function ruleCreatedEventsOf(namespaceId: string) {
  return (await readEventStream(h.nc)).filter(
    (e) => e.type === "acl_rule.created" && e.data.namespace_id === namespaceId,
  );
}

let source: Source;
let other: Source;

beforeAll(async () => {
  h = await startAclQueryHarness();
  rules = new aclV1.AclServiceClient(h.service.grpcAddress, grpc.credentials.createInsecure(), {
    interceptors: clientInterceptors({ internalToken: INTERNAL_TOKEN }),
  });
  await ensureEventStream(h.nc);
  source = await namespaceWithQueries("source");
  other = await namespaceWithQueries("other");
});
afterAll(async () => {
  rules?.close();
  await h?.close();
});

describe("namespace.cloned in acl-query", () => {
  it("copies the source's retrievers, alerts and ACL rules, naming the clone's collections and retriever", async () => {
    const clone = await createNamespace("clone");
    await publishEvents(h.nc, [clonedEvent(source.namespaceId, clone)]);
    await copied(clone);

    const target = { namespaceId: clone };
    const cloneCollection = cloneIdOf("collection", target, source.collectionId);
    const found = await queriesOf(clone);
    // Exactly the source's: the other namespace's retriever, alert and rule stay where they are.
    expect(found.retrievers.map((r) => r.retrieverId)).toEqual([
      cloneIdOf("retriever", target, source.retrieverId),
    ]);
    expect(found.retrievers[0]).toMatchObject({
      namespaceId: clone,
      retrieverName: "near-source",
      description: "the closest items",
      collectionIds: [cloneCollection],
      featureUri: URI,
      topK: 7,
    });
    expect(found.alerts.map((a) => a.alertId)).toEqual([cloneIdOf("alert", target, source.alertId)]);
    expect(found.alerts[0]).toMatchObject({
      namespaceId: clone,
      alertName: "watch",
      retrieverId: cloneIdOf("retriever", target, source.retrieverId),
      query: { vector: { values: [1, 0, 0] } },
      scoreThreshold: 0.9,
      active: true,
    });
    expect(found.rules.map((r) => r.ruleId)).toEqual([cloneIdOf("rule", target, source.ruleId)]);
    expect(found.rules[0]).toMatchObject({
      namespaceId: clone,
      ruleName: "same-team",
      effect: "allow",
      collectionIds: [cloneCollection],
    });
    // The rule arrives as any rule a namespace gains does: every replica's compiled filters drop it.
    await eventually(async () => ((await ruleCreatedEventsOf(clone)).length === 1 ? true : undefined));

    // The source keeps its own, unchanged.
    const kept = await queriesOf(source.namespaceId);
    expect(kept.retrievers.map((r) => r.retrieverId)).toEqual([source.retrieverId]);
    expect(kept.retrievers[0]?.collectionIds).toEqual([source.collectionId]);
    expect(kept.alerts.map((a) => a.retrieverId)).toEqual([source.retrieverId]);
    expect(kept.rules.map((r) => r.ruleId)).toEqual([source.ruleId]);
  });

  it("copies nothing twice when the event is delivered again", async () => {
    const clone = await createNamespace("redelivered");
    const event = clonedEvent(source.namespaceId, clone);
    await publishEvents(h.nc, [event]);
    await copied(clone);
    // The same event again (a relay resending it after the stream's duplicate window), then a
    // clone of the other namespace: the consumer takes events in order, so once that one is
    // copied the repeated event has been handled.
    const js = h.nc.jetstream();
    await js.publish(subjectOf(event), JSON.stringify(event), { msgID: `${event.id}-again` });
    const marker = await createNamespace("marker");
    await publishEvents(h.nc, [clonedEvent(other.namespaceId, marker)]);
    await copied(marker);

    const found = await queriesOf(clone);
    expect(found.retrievers).toHaveLength(1);
    expect(found.alerts).toHaveLength(1);
    expect(found.rules).toHaveLength(1);
    expect(await ruleCreatedEventsOf(clone)).toHaveLength(1);
  });

  it("copies nothing from a namespace without them, from another organization, or into a clone that is gone", async () => {
    const empty = await createNamespace("empty");
    const emptyClone = await createNamespace("empty-clone");
    // Another organization's namespace named as the source of a clone in this one (a forged or
    // mistaken event): its records are not this organization's and are never read.
    const strangerOrg = newId("organization");
    const foreign = await namespaceWithQueries("foreign", createTestCaller(strangerOrg));
    const foreignClone = await createNamespace("foreign-clone");
    const gone = newId("namespace");
    await publishEvents(h.nc, [
      clonedEvent(empty, emptyClone),
      clonedEvent(foreign.namespaceId, foreignClone),
      clonedEvent(source.namespaceId, gone),
    ]);
    const marker = await createNamespace("marker-2");
    await publishEvents(h.nc, [clonedEvent(other.namespaceId, marker)]);
    await copied(marker);

    for (const clone of [emptyClone, foreignClone]) {
      expect(await queriesOf(clone)).toEqual({ retrievers: [], alerts: [], rules: [] });
      expect(await ruleCreatedEventsOf(clone)).toHaveLength(0);
    }
    expect(await ruleCreatedEventsOf(gone)).toHaveLength(0);
  });
});
