import type { BoundFilterNode, CallerRef, FilterNode, Literal } from "./ast.js";
import { and, MATCH_NOTHING, not, OPERATORS, or } from "./ast.js";
import { bindCaller, type CallerContext } from "./bind-caller.js";
import { simplify } from "./simplify.js";

/** The document fields the ACL filter reads (DESIGN §7): stored on records and in vector payloads. */
export const ACL_FIELDS = {
  owner: "_acl.owner",
  read: "_acl.read",
  write: "_acl.write",
  public: "_acl.public",
  collection: "collection_id",
} as const;

/** `_acl` entries naming a role rather than a principal. */
export const ROLE_ENTRY_PREFIX = "role:";

export interface AclRuleSpec {
  readonly effect: "allow" | "deny";
  /** As parsed: may reference `$user.…`. */
  readonly condition: FilterNode;
  /** Empty: the rule covers every collection of its namespace. */
  readonly collectionIds: readonly string[];
}

/** The `_acl` entries that name the caller: its principal id and `role:<name>` per role. */
export function aclGrantees(caller: CallerContext): Literal[] {
  if (caller.principalId === undefined) return [];
  return [caller.principalId, ...caller.roles.map((role) => `${ROLE_ENTRY_PREFIX}${role}`)];
}

/**
 * The one filter that decides which documents a principal sees (DESIGN §7):
 * (public OR caller ∈ read OR a caller role ∈ read OR an allow rule matches) AND no deny rule matches.
 * The owner counts as a reader: a document's owner always sees it unless a deny rule says otherwise.
 * Rules are bound as part of the whole filter, so a `$user.…` reference that cannot be resolved
 * narrows it (an allow rule grants nothing, a deny rule denies). No principal: nothing is visible.
 */
export function compileVisibility(rules: readonly AclRuleSpec[], caller: CallerContext): BoundFilterNode {
  if (caller.principalId === undefined) return MATCH_NOTHING;
  const scoped = (rule: AclRuleSpec): FilterNode =>
    rule.collectionIds.length === 0
      ? rule.condition
      : and<CallerRef>(
          { kind: "condition", field: ACL_FIELDS.collection, operator: "in", value: [...rule.collectionIds] },
          rule.condition,
        );
  const allowed = or<never>(
    { kind: "condition", field: ACL_FIELDS.public, operator: "eq", value: true },
    { kind: "condition", field: ACL_FIELDS.owner, operator: "eq", value: caller.principalId },
    { kind: "condition", field: ACL_FIELDS.read, operator: "in", value: aclGrantees(caller) },
  ) as FilterNode;
  const allows = rules.filter((r) => r.effect === "allow").map(scoped);
  const denies = rules.filter((r) => r.effect === "deny").map(scoped);
  const whole = and<CallerRef>(or<CallerRef>(allowed, ...allows), not<CallerRef>(or<CallerRef>(...denies)));
  return simplify(bindCaller(whole, caller));
}

/** Whether the caller may change a document it sees: its owner, or named (or a role) in `_acl.write`. */
export function compileWriteAccess(caller: CallerContext): BoundFilterNode {
  if (caller.principalId === undefined) return MATCH_NOTHING;
  return simplify(
    or<never>(
      { kind: "condition", field: ACL_FIELDS.owner, operator: "eq", value: caller.principalId },
      { kind: "condition", field: ACL_FIELDS.write, operator: "in", value: aclGrantees(caller) },
    ),
  );
}

const OPERATOR_SET = new Set<string>(OPERATORS);

/**
 * Reads a bound filter AST that crossed a process boundary as JSON (the compiled visibility filter
 * in the caller's gRPC metadata). Anything not exactly of the AST's shape is undefined, and the
 * reader must then show nothing: a malformed filter never widens what a principal sees.
 */
export function readBoundFilter(value: unknown, depth = 0): BoundFilterNode | undefined {
  if (depth > 64 || typeof value !== "object" || value === null) return undefined;
  const node = value as Record<string, unknown>;
  switch (node.kind) {
    case "and":
    case "or": {
      if (!Array.isArray(node.nodes)) return undefined;
      const nodes: BoundFilterNode[] = [];
      for (const child of node.nodes) {
        const read = readBoundFilter(child, depth + 1);
        if (read === undefined) return undefined;
        nodes.push(read);
      }
      return { kind: node.kind, nodes };
    }
    case "not": {
      const inner = readBoundFilter(node.node, depth + 1);
      return inner === undefined ? undefined : { kind: "not", node: inner };
    }
    case "condition": {
      const { field, operator, value: operand } = node;
      if (typeof field !== "string" || typeof operator !== "string" || !OPERATOR_SET.has(operator)) {
        return undefined;
      }
      const literal = (v: unknown) =>
        typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v));
      const setOperator = operator === "in" || operator === "nin";
      const valid = setOperator ? Array.isArray(operand) && operand.every(literal) : literal(operand);
      if (!valid || (operator === "exists" && typeof operand !== "boolean")) return undefined;
      return { kind: "condition", field, operator, value: operand } as BoundFilterNode;
    }
    default:
      return undefined;
  }
}
