export type { AclRuleSpec } from "./acl-visibility.js";
export {
  ACL_FIELDS,
  aclGrantees,
  compileVisibility,
  compileWriteAccess,
  ROLE_ENTRY_PREFIX,
  readBoundFilter,
} from "./acl-visibility.js";
export type {
  BoundCondition,
  BoundFilterNode,
  CallerRef,
  Condition,
  ConditionOf,
  EqualityOperator,
  FilterNode,
  Literal,
  NodeOf,
  Operator,
  RangeOperator,
  SetOperator,
} from "./ast.js";
export {
  and,
  asBound,
  filterFields,
  hasCallerRefs,
  isCallerRef,
  isMatchAll,
  isMatchNothing,
  MATCH_ALL,
  MATCH_NOTHING,
  not,
  OPERATORS,
  or,
} from "./ast.js";
export type { CallerContext } from "./bind-caller.js";
export { bindCaller } from "./bind-caller.js";
export { formatCallerRef, parseCallerRef } from "./caller-ref.js";
export { toFilterJson } from "./filter-json.js";
export {
  MAX_CONDITIONS,
  MAX_DEPTH,
  MAX_EXPANDED_VALUES,
  MAX_SET_VALUES,
  MAX_STRING_LENGTH,
} from "./limits.js";
export type { FilterJson, ParseFilterOptions } from "./parse-filter.js";
export { parseFilter } from "./parse-filter.js";
export { evaluate, readPath, toPredicate } from "./predicate.js";
export { simplify } from "./simplify.js";
export { toDocStoreWhere } from "./to-docstore-where.js";
export type { QdrantCondition, QdrantFilter, QdrantFilterOptions } from "./to-qdrant-filter.js";
export { toQdrantFilter } from "./to-qdrant-filter.js";
export type { S3VectorsFilter, S3VectorsFilterOptions, S3VectorsJson } from "./to-s3-vectors-filter.js";
export { S3_VECTORS_MAX_CONSTRAINTS, toS3VectorsFilter } from "./to-s3-vectors-filter.js";
export type { FilterBackend, TranslateOptions } from "./translate-options.js";
