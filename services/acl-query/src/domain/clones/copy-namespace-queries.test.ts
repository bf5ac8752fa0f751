import { cloneIdOf } from "@strata/ids";
import { describe, expect, it } from "vitest";
import { NS, ORG, OTHER_NS, testAclQuery } from "../../testing/domain-test-support.js";
import {
  ACL_RULES_TABLE,
  type AclRuleRecord,
  ALERTS_TABLE,
  type AlertRecord,
  RETRIEVERS_TABLE,
  type RetrieverRecord,
} from "../tables.js";
import { copyNamespaceQueries } from "./copy-namespace-queries.js";

const CLONE = "ns_33333333333333333333";
const clone = { organizationId: ORG, sourceNamespaceId: NS, namespaceId: CLONE };
const COLLECTION = "col_11111111111111111111";
const at = (minute: number) => `2030-01-01T00:0${minute}:00.000Z`;

function retriever(id: string, name: string, namespaceId = NS, minute = 0): RetrieverRecord {
  return {
    id,
    organization_id: ORG,
    namespace_id: namespaceId,
    retriever_name: name,
    description: "",
    collection_ids: [COLLECTION],
    feature_uri: "strata://test@v1/embedding",
    dimensions: 3,
    metric: "cosine",
    top_k: 10,
    filters: null,
    score_threshold: null,
    created_at: at(minute),
    updated_at: at(minute),
  };
}

function alert(id: string, retrieverId: string): AlertRecord {
  return {
    id,
    organization_id: ORG,
    namespace_id: NS,
    alert_name: `alert-${id}`,
    description: "",
    retriever_id: retrieverId,
    query: { kind: "document", document_id: "doc-1", collection_id: COLLECTION },
    query_vector: [1, 0, 0],
    score_threshold: 0.5,
    active: true,
    created_at: at(1),
    updated_at: at(1),
  };
}

function rule(id: string, name: string, minute: number): AclRuleRecord {
  return {
    id,
    organization_id: ORG,
    namespace_id: NS,
    rule_name: name,
    effect: "deny",
    condition: { AND: [{ field: "metadata.secret", operator: "eq", value: true }] },
    collection_ids: [COLLECTION],
    created_at: at(minute),
    updated_at: at(minute),
  };
}

/** Two retrievers, an alert on the first, two rules; and a retriever of another namespace. */
async function seeded() {
  const t = await testAclQuery();
  const insert = async <T extends { id: string }>(table: string, records: T[]) => {
    for (const record of records) await t.store.table<T>(table).insert(record);
  };
  await insert(RETRIEVERS_TABLE, [
    retriever("ret_11111111111111111111", "first", NS, 0),
    retriever("ret_22222222222222222222", "second", NS, 1),
    retriever("ret_99999999999999999999", "elsewhere", OTHER_NS, 0),
  ]);
  await insert(ALERTS_TABLE, [alert("alr_11111111111111111111", "ret_11111111111111111111")]);
  await insert(ACL_RULES_TABLE, [
    rule("rul_11111111111111111111", "one", 2),
    rule("rul_22222222222222222222", "two", 3),
  ]);
  return t;
}

async function cloneRecords<T extends { id: string }>(
  t: Awaited<ReturnType<typeof seeded>>,
  table: string,
): Promise<T[]> {
  return (await t.store.table<T>(table).find({ where: { namespace_id: CLONE } })).map((v) => v.record);
}

describe("copyNamespaceQueries", () => {
  it("copies each record once with derived ids, the alert's query naming the clone's collection", async () => {
    const t = await seeded();
    expect(await copyNamespaceQueries(t.ports, clone)).toEqual({
      retrievers: 2,
      alerts: 1,
      acl_rules: 2,
      present: 0,
      name_taken: 0,
      retriever_missing: 0,
    });
    const copiedAlert = (await cloneRecords<AlertRecord>(t, ALERTS_TABLE))[0];
    expect(copiedAlert?.query).toEqual({
      kind: "document",
      document_id: "doc-1",
      collection_id: cloneIdOf("collection", clone, COLLECTION),
    });
    expect(
      (await cloneRecords<RetrieverRecord>(t, RETRIEVERS_TABLE)).map((r) => r.retriever_name).sort(),
    ).toEqual(["first", "second"]);
  });

  it("after a crash between two rules, a second run writes the rest and nothing twice", async () => {
    const t = await seeded();
    let appended = 0;
    const crashing = {
      ...t.ports,
      // The process dies while writing the second rule: its transaction never commits.
      appendEvent: async (...args: Parameters<typeof t.ports.appendEvent>) => {
        appended += 1;
        if (appended === 2) throw new Error("crash");
        await t.ports.appendEvent(...args);
      },
    };
    await expect(copyNamespaceQueries(crashing, clone)).rejects.toThrow("crash");
    expect(await cloneRecords(t, ACL_RULES_TABLE)).toHaveLength(1);

    expect(await copyNamespaceQueries(t.ports, clone)).toMatchObject({
      retrievers: 0,
      alerts: 0,
      acl_rules: 1,
      present: 4,
    });
    expect(await cloneRecords(t, RETRIEVERS_TABLE)).toHaveLength(2);
    expect(await cloneRecords(t, ALERTS_TABLE)).toHaveLength(1);
    expect((await cloneRecords<AclRuleRecord>(t, ACL_RULES_TABLE)).map((r) => r.rule_name).sort()).toEqual([
      "one",
      "two",
    ]);
    const created = (await t.events()).filter((e) => e.type === "acl_rule.created");
    expect(created.map((e) => e.data.rule_id).sort()).toEqual(
      [
        cloneIdOf("rule", clone, "rul_11111111111111111111"),
        cloneIdOf("rule", clone, "rul_22222222222222222222"),
      ].sort(),
    );
  });

  it("keeps a record the clone already holds under the same name, and the alert that would name nothing stays out", async () => {
    const t = await seeded();
    // A user made "first" in the clone after it was ready, before the copy ran.
    const own = retriever("ret_44444444444444444444", "first", CLONE, 5);
    await t.store.table<RetrieverRecord>(RETRIEVERS_TABLE).insert(own);
    expect(await copyNamespaceQueries(t.ports, clone)).toMatchObject({
      retrievers: 1,
      alerts: 0,
      name_taken: 1,
      retriever_missing: 1,
    });
    const held = await cloneRecords<RetrieverRecord>(t, RETRIEVERS_TABLE);
    expect(held.find((r) => r.retriever_name === "first")).toEqual(own);
    expect(await cloneRecords(t, ALERTS_TABLE)).toEqual([]);
  });
});
