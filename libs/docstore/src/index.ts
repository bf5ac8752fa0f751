export type { NamedInsert } from "./insert-each-named.js";
export { insertEachNamed } from "./insert-each-named.js";
export type { InsertOnceOutcome } from "./insert-once.js";
export { insertOnce } from "./insert-once.js";
export { compareScalars, matchesWhere } from "./memory/match-where.js";
export { createMemoryDocStore } from "./memory/memory-doc-store.js";
export type { MongoDocStoreOptions } from "./mongo/mongo-doc-store.js";
export { openMongoDocStore } from "./mongo/mongo-doc-store.js";
export type { ListPageOptions, Page } from "./pagination.js";
export { listPage, MAX_PAGE_SIZE } from "./pagination.js";
export type {
  DocStore,
  DocStoreSession,
  FieldOperators,
  FindOptions,
  IndexSpec,
  InsertError,
  OrderBy,
  ReplaceError,
  Scalar,
  StoredRecord,
  Table,
  TableSpec,
  Versioned,
  Where,
} from "./port.js";
export type { Conflict } from "./retry-on-conflict.js";
export { CONFLICT, retryOnConflict } from "./retry-on-conflict.js";
export type { SqliteDocStoreOptions } from "./sqlite/sqlite-doc-store.js";
export { openSqliteDocStore } from "./sqlite/sqlite-doc-store.js";
