import {
  type DocStoreSession,
  type InsertOnceOutcome,
  insertOnce,
  type StoredRecord,
} from "@strata/docstore";
import { ok } from "@strata/errors";
import { ruleEvent } from "../acl/rule-events.js";
import type { AclQueryPorts } from "../ports.js";
import {
  ACL_RULES_TABLE,
  type AclRuleRecord,
  ALERTS_TABLE,
  type AlertRecord,
  RETRIEVERS_TABLE,
  type RetrieverRecord,
} from "../tables.js";
import { alertCopy, type NamespaceClone, retrieverCopy, ruleCopy } from "./clone-copies.js";

export type { NamespaceClone } from "./clone-copies.js";

/** What one run copied: records written per kind, copies found there already, names the clone held. */
export type CopiedQueries = Readonly<Record<"retrievers" | "alerts" | "acl_rules" | CopySkip, number>>;
type CopySkip = "present" | "name_taken" | "retriever_missing";

/**
 * Copies the source namespace's retrievers, alerts and ACL rules into its clone (ADR 0030), one
 * record at a time with derived ids: a redelivery, or a run after a crash between records, skips
 * what is there and writes the rest. Retrievers first, since each alert names one. A name the
 * clone already holds (a user wrote it after the clone was ready) keeps the user's record.
 */
export async function copyNamespaceQueries(
  ports: AclQueryPorts,
  clone: NamespaceClone,
): Promise<CopiedQueries> {
  const counts = { retrievers: 0, alerts: 0, acl_rules: 0, present: 0, name_taken: 0, retriever_missing: 0 };
  const tally = (kind: "retrievers" | "alerts" | "acl_rules", outcome: InsertOnceOutcome) => {
    counts[outcome === "inserted" ? kind : outcome === "present" ? "present" : "name_taken"] += 1;
  };
  const retrievers = ports.store.table<RetrieverRecord>(RETRIEVERS_TABLE);
  for (const source of await sourceRecords<RetrieverRecord>(ports.store, RETRIEVERS_TABLE, clone)) {
    tally("retrievers", await insertOnce(retrievers, retrieverCopy(clone, source)));
  }
  const alerts = ports.store.table<AlertRecord>(ALERTS_TABLE);
  for (const source of await sourceRecords<AlertRecord>(ports.store, ALERTS_TABLE, clone)) {
    const copy = alertCopy(clone, source);
    // Its retriever's copy lost to a name the clone held: the alert would name nothing.
    if ((await retrievers.get(copy.retriever_id)) === undefined) counts.retriever_missing += 1;
    else tally("alerts", await insertOnce(alerts, copy));
  }
  for (const source of await sourceRecords<AclRuleRecord>(ports.store, ACL_RULES_TABLE, clone)) {
    tally("acl_rules", await insertRule(ports, ruleCopy(clone, source)));
  }
  if (counts.acl_rules > 0) ports.eventsCommitted();
  return counts;
}

/**
 * A rule copy and its acl_rule.created in one transaction: every replica's compiled filters of the
 * clone are dropped (a search of the clone before the copy compiled "no rules"), and subscribers
 * learn of the rule as of any rule a namespace gains.
 */
async function insertRule(ports: AclQueryPorts, copy: AclRuleRecord): Promise<InsertOnceOutcome> {
  const written = await ports.store.transaction<InsertOnceOutcome, never>(async (tx) => {
    const outcome = await insertOnce(tx.table<AclRuleRecord>(ACL_RULES_TABLE), copy);
    if (outcome === "inserted")
      await ports.appendEvent(tx, ruleEvent("acl_rule.created", copy, ports.clock()));
    return ok(outcome);
  });
  return written.ok ? written.value : written.error;
}

/** The source's records of one table, oldest first (the order they were made in). */
async function sourceRecords<T extends StoredRecord>(
  session: DocStoreSession,
  table: string,
  clone: NamespaceClone,
): Promise<T[]> {
  const found = await session.table<T>(table).find({
    where: { organization_id: clone.organizationId, namespace_id: clone.sourceNamespaceId },
    orderBy: [{ field: "created_at", direction: "asc" }],
  });
  return found.map((v) => v.record);
}
