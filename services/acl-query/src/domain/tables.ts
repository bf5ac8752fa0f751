import type { MetricName } from "@strata/contracts";
import type { StoredRecord, TableSpec } from "@strata/docstore";
import type { FilterJson } from "@strata/filter";

export const RETRIEVERS_TABLE = "retrievers";
export const ALERTS_TABLE = "alerts";
/** Document ACL rules (ADR 0018). */
export const ACL_RULES_TABLE = "acl_rules";

export const ACL_QUERY_TABLE_SPECS: readonly TableSpec[] = [
  {
    name: RETRIEVERS_TABLE,
    indexes: [
      { fields: ["namespace_id", "retriever_name"], unique: true },
      { fields: ["namespace_id", "created_at"] },
    ],
  },
  {
    name: ALERTS_TABLE,
    indexes: [
      { fields: ["namespace_id", "alert_name"], unique: true },
      { fields: ["namespace_id", "created_at"] },
      { fields: ["namespace_id", "active"] },
      { fields: ["retriever_id"] },
    ],
  },
  {
    name: ACL_RULES_TABLE,
    indexes: [
      { fields: ["namespace_id", "rule_name"], unique: true },
      { fields: ["namespace_id", "created_at"] },
    ],
  },
];

export type AclEffect = "allow" | "deny";

/** A rule is plain data: the manifest export writes it out as stored. */
export interface AclRuleRecord extends StoredRecord {
  readonly id: string;
  readonly organization_id: string;
  readonly namespace_id: string;
  readonly rule_name: string;
  readonly effect: AclEffect;
  /** The filter language's JSON form, normalised by toFilterJson; may reference $user.*. */
  readonly condition: FilterJson;
  readonly collection_ids: readonly string[];
  readonly created_at: string;
  readonly updated_at: string;
}

export interface RetrieverRecord extends StoredRecord {
  readonly id: string;
  readonly organization_id: string;
  readonly namespace_id: string;
  readonly retriever_name: string;
  readonly description: string;
  /** Resolved ids, in the order given: a document_id query tries them in this order. */
  readonly collection_ids: readonly string[];
  /** Canonical strata:// spelling. */
  readonly feature_uri: string;
  /** The feature's space, the same in every collection (checked when the retriever was saved). */
  readonly dimensions: number;
  readonly metric: Metric;
  readonly top_k: number;
  /** The filter language's JSON form, as parsed (normalised by toFilterJson); null when none. */
  readonly filters: FilterJson | null;
  readonly score_threshold: number | null;
  readonly created_at: string;
  readonly updated_at: string;
}

export type Metric = MetricName;

/** The query an alert was given, kept to show it back and to re-resolve it. */
export type AlertQueryRecord =
  | { readonly kind: "vector" }
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "document"; readonly document_id: string; readonly collection_id: string };

export interface AlertPrincipal {
  readonly principal_id: string;
  readonly roles: readonly string[];
  readonly attributes: Readonly<Record<string, unknown>>;
}

export interface AlertRecord extends StoredRecord {
  readonly id: string;
  readonly organization_id: string;
  readonly namespace_id: string;
  readonly alert_name: string;
  readonly description: string;
  readonly retriever_id: string;
  readonly query: AlertQueryRecord;
  /** The query resolved to a vector in the retriever's feature space. */
  readonly query_vector: readonly number[];
  readonly score_threshold: number;
  readonly active: boolean;
  /**
   * Set when an end-user key created the alert: it is evaluated for this principal, so it triggers
   * only on documents the principal may see (ADR 0018). Roles and attributes follow principal events.
   */
  readonly principal?: AlertPrincipal;
  readonly created_at: string;
  readonly updated_at: string;
}
