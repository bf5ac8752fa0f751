// A plain reference for document visibility (DESIGN §7), written without the filter library, for
// the differential leak tests: each API's answer must equal what this says. Test-only.

export interface OracleAcl {
  readonly owner: string | null;
  readonly read: readonly string[];
  readonly write: readonly string[];
  readonly public: boolean;
}

export interface OracleDocument {
  readonly document_id: string;
  readonly collection_id: string;
  readonly metadata: { readonly department?: string; readonly level?: number; readonly author?: string };
  readonly _acl: OracleAcl;
}

export interface OraclePrincipal {
  readonly id: string;
  readonly roles: readonly string[];
  readonly attributes: { readonly department?: string };
}

/** The rule shapes the tests generate, each with its filter-language form below. */
export type OracleCondition =
  | { readonly kind: "same_department" }
  | { readonly kind: "level_at_most"; readonly level: number }
  | { readonly kind: "authored_by_caller" }
  | { readonly kind: "department_is"; readonly department: string };

export interface OracleRule {
  readonly effect: "allow" | "deny";
  readonly condition: OracleCondition;
  readonly collectionIds: readonly string[];
}

export function conditionJson(condition: OracleCondition): unknown {
  const one = (field: string, operator: string, value: unknown) => ({ AND: [{ field, operator, value }] });
  switch (condition.kind) {
    case "same_department":
      return one("metadata.department", "eq", "$user.attributes.department");
    case "level_at_most":
      return one("metadata.level", "lte", condition.level);
    case "authored_by_caller":
      return one("metadata.author", "eq", "$user.id");
    case "department_is":
      return one("metadata.department", "eq", condition.department);
  }
}

/**
 * Whether the condition holds; `undefined` when it references an attribute the principal lacks,
 * which the platform must treat as "an allow grants nothing, a deny denies" (fail closed).
 */
function holds(condition: OracleCondition, doc: OracleDocument, p: OraclePrincipal): boolean | undefined {
  switch (condition.kind) {
    case "same_department":
      if (p.attributes.department === undefined) return undefined;
      return doc.metadata.department === p.attributes.department;
    case "level_at_most":
      return typeof doc.metadata.level === "number" && doc.metadata.level <= condition.level;
    case "authored_by_caller":
      return doc.metadata.author === p.id;
    case "department_is":
      return doc.metadata.department === condition.department;
  }
}

function applies(rule: OracleRule, doc: OracleDocument, p: OraclePrincipal): boolean {
  if (rule.collectionIds.length > 0 && !rule.collectionIds.includes(doc.collection_id)) return false;
  const result = holds(rule.condition, doc, p);
  return result === undefined ? rule.effect === "deny" : result;
}

const grantees = (p: OraclePrincipal) => [p.id, ...p.roles.map((r) => `role:${r}`)];

export function oracleCanSee(doc: OracleDocument, p: OraclePrincipal, rules: readonly OracleRule[]): boolean {
  const mine = grantees(p);
  const granted =
    doc._acl.public ||
    doc._acl.owner === p.id ||
    doc._acl.read.some((entry) => mine.includes(entry)) ||
    rules.some((r) => r.effect === "allow" && applies(r, doc, p));
  return granted && !rules.some((r) => r.effect === "deny" && applies(r, doc, p));
}

export function oracleCanWrite(doc: OracleDocument, p: OraclePrincipal): boolean {
  const mine = grantees(p);
  return doc._acl.owner === p.id || doc._acl.write.some((entry) => mine.includes(entry));
}
