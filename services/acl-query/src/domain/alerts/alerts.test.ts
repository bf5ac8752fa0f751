import { describe, expect, it } from "vitest";
import {
  callerOf,
  documentOf,
  NS,
  ORG,
  type TestAclQuery,
  testAclQuery,
} from "../../testing/domain-test-support.js";
import { createRule } from "../acl/rules.js";
import { deleteRetriever, updateRetriever } from "../retrievers/change-retriever.js";
import { createRetriever } from "../retrievers/create-retriever.js";
import { followPrincipal } from "./alert-principals.js";
import { deleteAlert, updateAlert } from "./change-alert.js";
import { createAlert, type NewAlertInput } from "./create-alert.js";
import { evaluateAlertChunk, evaluateAlerts } from "./evaluate-alerts.js";
import { getAlert, listAlerts } from "./read-alerts.js";

const URI = "strata://test@v1/embedding";
const COL = "col_11111111111111111111";
const OTHER_COL = "col_22222222222222222222";
const admin = callerOf();

async function setup(): Promise<TestAclQuery> {
  const t = await testAclQuery();
  for (const [collectionId, collectionName] of [
    [COL, "items"],
    [OTHER_COL, "others"],
  ] as const) {
    t.data.addCollection(NS, {
      collectionId,
      collectionName,
      features: [{ featureUri: URI, dimensions: 3, metric: "cosine" }],
      indexedFields: ["category"],
    });
  }
  const retriever = await createRetriever(t.ports, admin, NS, {
    retrieverName: "news",
    description: "",
    collectionIdentifiers: ["items"],
    featureUri: URI,
    topK: undefined,
    filters: { field: "metadata.category", value: "news" },
    scoreThreshold: undefined,
  });
  if (!retriever.ok) throw new Error(JSON.stringify(retriever.error));
  return t;
}

const alertInput = (overrides: Partial<NewAlertInput> = {}): NewAlertInput => ({
  alertName: "breaking",
  description: "",
  retrieverIdentifier: "news",
  query: { kind: "vector", values: [1, 0, 0] },
  scoreThreshold: 0.9,
  active: undefined,
  ...overrides,
});

function created(documentId: string, collectionId = COL) {
  return {
    eventId: `evt_${documentId}`,
    data: {
      document_id: documentId,
      collection_id: collectionId,
      namespace_id: NS,
      organization_id: ORG,
      tier: "hot" as const,
      feature_uris: [URI],
    },
  };
}

describe("alerts", () => {
  it("creates, reads, lists, updates and deletes an alert", async () => {
    const t = await setup();
    const alert = await createAlert(t.ports, admin, NS, alertInput());
    if (!alert.ok) throw new Error(JSON.stringify(alert.error));
    expect(alert.value).toMatchObject({ alert_name: "breaking", active: true, query_vector: [1, 0, 0] });
    expect(alert.value.id).toMatch(/^alr_/);
    const byName = await getAlert(t.ports, admin, NS, "breaking");
    expect(byName.ok && byName.value.id).toBe(alert.value.id);
    const listed = await listAlerts(t.ports, admin, NS, { limit: 0, cursor: undefined });
    expect(listed.ok && listed.value.records).toHaveLength(1);
    const paused = await updateAlert(t.ports, admin, NS, alert.value.id, {
      active: false,
      scoreThreshold: 0.5,
    });
    expect(paused.ok && paused.value).toMatchObject({ active: false, score_threshold: 0.5 });
    const deleted = await deleteAlert(t.ports, admin, NS, "breaking");
    expect(deleted.ok).toBe(true);
    const gone = await getAlert(t.ports, admin, NS, alert.value.id);
    expect(!gone.ok && gone.error.kind).toBe("not_found");
  });

  it("resolves a document query to the document's vector", async () => {
    const t = await setup();
    t.data.addDocument(documentOf(COL, "seed", { [URI]: [0, 1, 0] }));
    const alert = await createAlert(
      t.ports,
      admin,
      NS,
      alertInput({ query: { kind: "document", documentId: "seed", collectionIdentifier: undefined } }),
    );
    expect(alert.ok && alert.value).toMatchObject({
      query: { kind: "document", document_id: "seed", collection_id: COL },
      query_vector: [0, 1, 0],
    });
  });

  it("refuses an unknown retriever, a wrong-sized vector and a bad threshold", async () => {
    const t = await setup();
    const noRetriever = await createAlert(t.ports, admin, NS, alertInput({ retrieverIdentifier: "nope" }));
    expect(!noRetriever.ok && noRetriever.error.kind).toBe("not_found");
    const short = await createAlert(
      t.ports,
      admin,
      NS,
      alertInput({ query: { kind: "vector", values: [1] } }),
    );
    expect(!short.ok && short.error.kind).toBe("validation");
    const threshold = await createAlert(t.ports, admin, NS, alertInput({ scoreThreshold: Number.NaN }));
    expect(!threshold.ok && threshold.error.kind).toBe("validation");
  });

  it("evaluates an end user's alert for its principal: only documents it may see (ADR 0018)", async () => {
    const t = await setup();
    const rule = await createRule(t.ports, admin, NS, {
      ruleName: "same-department",
      effect: "allow",
      condition: {
        AND: [{ field: "metadata.department", operator: "eq", value: "$user.attributes.department" }],
      },
    });
    expect(rule.ok).toBe(true);
    const alice = callerOf({
      permissions: ["write"],
      principalId: "alice",
      attributes: { department: "sales" },
    });
    expect((await createAlert(t.ports, alice, NS, alertInput({ alertName: "mine" }))).ok).toBe(true);
    expect((await createAlert(t.ports, admin, NS, alertInput({ alertName: "org" }))).ok).toBe(true);
    const news = (department: string) => ({ category: "news", department });
    t.data.addDocument(documentOf(COL, "sales-news", { [URI]: [1, 0.1, 0] }, news("sales")));
    t.data.addDocument(documentOf(COL, "hr-news", { [URI]: [1, 0.1, 0] }, news("hr")));
    const names = async (id: string) => {
      const fired = await evaluateAlerts(t.ports, created(id));
      return fired.ok && fired.value.kind === "evaluated"
        ? fired.value.triggered.map((m) => m.alert.alert_name).sort()
        : [];
    };
    expect(await names("sales-news")).toEqual(["mine", "org"]);
    expect(await names("hr-news")).toEqual(["org"]);
    // The principal moves to hr: its alert follows (principal.updated).
    const moved = await followPrincipal(t.store, {
      organizationId: ORG,
      principalId: "alice",
      roles: [],
      attributes: { department: "hr" },
    });
    expect(moved).toBe(1);
    t.data.addDocument(documentOf(COL, "hr-news-2", { [URI]: [1, 0.1, 0] }, news("hr")));
    expect(await names("hr-news-2")).toEqual(["mine", "org"]);
  });

  it("fires for a matching new document once, and not for others", async () => {
    const t = await setup();
    const alert = await createAlert(t.ports, admin, NS, alertInput());
    if (!alert.ok) throw new Error("create failed");
    t.data.addDocument(documentOf(COL, "match", { [URI]: [1, 0.1, 0] }, { category: "news" }));
    t.data.addDocument(documentOf(COL, "far", { [URI]: [0, 1, 0] }, { category: "news" }));
    t.data.addDocument(documentOf(COL, "filtered", { [URI]: [1, 0, 0] }, { category: "sports" }));
    t.data.addDocument(documentOf(OTHER_COL, "elsewhere", { [URI]: [1, 0, 0] }, { category: "news" }));

    const fired = await evaluateAlerts(t.ports, created("match"));
    expect(fired.ok && fired.value.kind).toBe("evaluated");
    for (const id of ["far", "filtered"]) {
      const quiet = await evaluateAlerts(t.ports, created(id));
      expect(quiet.ok && quiet.value.kind === "evaluated" && quiet.value.triggered).toEqual([]);
    }
    const elsewhere = await evaluateAlerts(t.ports, created("elsewhere", OTHER_COL));
    expect(elsewhere.ok && elsewhere.value.kind === "evaluated" && elsewhere.value.triggered).toEqual([]);
    const again = await evaluateAlerts(t.ports, created("match"));
    expect(again.ok && again.value.kind).toBe("duplicate");

    const events = await t.events();
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event?.type).toBe("alert.triggered");
    expect(event?.namespaceid).toBe(NS);
    expect(event?.data).toMatchObject({
      alert_id: alert.value.id,
      retriever_id: alert.value.retriever_id,
      document_id: "match",
      collection_id: COL,
    });
    if (event?.type !== "alert.triggered") throw new Error("no alert.triggered event");
    expect(event.data.score).toBeCloseTo(1 / Math.sqrt(1.01), 6);
  });

  it("evaluates a chunk of new documents as each alone, one outcome per event in order", async () => {
    const t = await setup();
    const alert = await createAlert(t.ports, admin, NS, alertInput());
    if (!alert.ok) throw new Error("create failed");
    t.data.addDocument(documentOf(COL, "match", { [URI]: [1, 0.1, 0] }, { category: "news" }));
    t.data.addDocument(documentOf(COL, "match-2", { [URI]: [1, 0, 0.1] }, { category: "news" }));
    t.data.addDocument(documentOf(COL, "far", { [URI]: [0, 1, 0] }, { category: "news" }));
    t.data.addDocument(documentOf(COL, "filtered", { [URI]: [1, 0, 0] }, { category: "sports" }));
    t.data.addDocument(documentOf(OTHER_COL, "elsewhere", { [URI]: [1, 0, 0] }, { category: "news" }));
    const chunk = [
      created("far"),
      created("match"),
      created("elsewhere", OTHER_COL),
      created("filtered"),
      created("match-2"),
      { ...created("x"), data: { ...created("x").data, namespace_id: "ns_without_alerts" } },
    ];
    const outcomes = await evaluateAlertChunk(t.ports, chunk);
    const triggered = outcomes.map((o) =>
      o.ok && o.value.kind === "evaluated"
        ? o.value.triggered.map((m) => m.documentId)
        : o.ok && o.value.kind,
    );
    expect(triggered).toEqual([[], ["match"], [], [], ["match-2"], "no_alerts"]);
    // Redelivered together with a new one: the repeat publishes nothing twice.
    t.data.addDocument(documentOf(COL, "match-3", { [URI]: [1, 0.1, 0.1] }, { category: "news" }));
    const again = await evaluateAlertChunk(t.ports, [created("match"), created("match-3")]);
    expect(again.map((o) => o.ok && o.value.kind)).toEqual(["duplicate", "evaluated"]);
    const fired = (await t.events()).map((e) => (e.type === "alert.triggered" ? e.data.document_id : e.type));
    expect(fired.sort()).toEqual(["match", "match-2", "match-3"]);
    t.data.unavailable = true;
    const down = await evaluateAlertChunk(t.ports, [created("y"), created("z")]);
    expect(down.map((o) => !o.ok && o.error.kind)).toEqual(["unavailable", "unavailable"]);
  });

  it("skips inactive alerts, retries when the namespace service is down, and ignores deleted documents", async () => {
    const t = await setup();
    await createAlert(t.ports, admin, NS, alertInput({ active: false }));
    const none = await evaluateAlerts(t.ports, created("x"));
    expect(none.ok && none.value.kind).toBe("no_alerts");
    await createAlert(t.ports, admin, NS, alertInput({ alertName: "on" }));
    const gone = await evaluateAlerts(t.ports, created("never-written"));
    expect(gone.ok && gone.value.kind === "evaluated" && gone.value.triggered).toEqual([]);
    t.data.unavailable = true;
    const down = await evaluateAlerts(t.ports, created("y"));
    expect(!down.ok && down.error.kind).toBe("unavailable");
    expect(await t.events()).toEqual([]);
  });

  it("keeps a retriever's feature while alerts use it, and deletes its alerts with it", async () => {
    const t = await setup();
    t.data.addCollection(NS, {
      collectionId: "col_33333333333333333333",
      collectionName: "wide",
      features: [{ featureUri: "strata://wide@v1/embedding", dimensions: 4, metric: "cosine" }],
      indexedFields: ["category"],
    });
    await createAlert(t.ports, admin, NS, alertInput());
    const moved = await updateRetriever(t.ports, admin, NS, "news", {
      featureUri: "strata://wide@v1/embedding",
      collectionIdentifiers: ["wide"],
    });
    expect(!moved.ok && moved.error.kind).toBe("validation");
    const deleted = await deleteRetriever(t.ports, admin, NS, "news");
    expect(deleted.ok && deleted.value.deletedAlerts).toBe(1);
    const listed = await listAlerts(t.ports, admin, NS, { limit: 10, cursor: undefined });
    expect(listed.ok && listed.value.records).toEqual([]);
  });
});
