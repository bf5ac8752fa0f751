import { chmodSync, closeSync, openSync } from "node:fs";
import type { Result } from "@strata/errors";
import Database from "better-sqlite3";
import { assertTableName } from "../names.js";
import type { DocStore, DocStoreSession, StoredRecord, Table, TableSpec } from "../port.js";
import { TxGate } from "../tx-gate.js";
import { SqliteTable } from "./sqlite-table.js";
import { StatementCache } from "./statement-cache.js";
import { valueExpr } from "./where-sql.js";

export interface SqliteDocStoreOptions {
  /** A file path, or ":memory:" for a private in-memory database. */
  readonly path: string;
  /** How long a write waits for another process's lock before failing; default 5 s. */
  readonly busyTimeoutMs?: number;
  /**
   * Throw when the store itself is used inside its own transaction, instead of deadlocking;
   * default on. It costs every promise in the process (TxGate), so services turn it off in
   * production (`STRATA_STORE_REENTRY_CHECK`).
   */
  readonly reentryCheck?: boolean;
}

function indexName(table: string, fields: readonly string[], unique: boolean): string {
  return `"ix_${table}__${fields.join("__")}${unique ? "__u" : ""}"`;
}

/**
 * The embedded DocStore: one SQLite table per DocStore table, records as JSON text, indexes as
 * expression indexes on json_extract. better-sqlite3 is synchronous and has one connection, so
 * a transaction (which spans the caller's awaits) holds a gate that queues every other caller.
 */
class SqliteDocStore implements DocStore {
  private readonly statements: StatementCache;
  private readonly gate: TxGate;
  private readonly tables = new Map<string, Table<StoredRecord>>();
  private closed = false;

  constructor(
    private readonly db: Database.Database,
    reentryCheck: boolean,
  ) {
    this.statements = new StatementCache(db);
    this.gate = new TxGate({ reentryCheck });
  }

  table<T extends StoredRecord>(name: string): Table<T> {
    assertTableName(name);
    let table = this.tables.get(name);
    if (!table) {
      table = new SqliteTable<StoredRecord>(name, this.statements, (op) =>
        this.gate.run(() => this.live(op)),
      );
      this.tables.set(name, table);
    }
    // A table stores whatever records its owner puts in it; the type parameter is the owner's claim.
    return table as Table<T>;
  }

  ensureTable(spec: TableSpec): Promise<void> {
    assertTableName(spec.name);
    return this.gate.run(() =>
      this.live(() => {
        const q = `"${spec.name}"`;
        const statements = [
          `CREATE TABLE IF NOT EXISTS ${q} (id TEXT PRIMARY KEY, version INTEGER NOT NULL, body TEXT NOT NULL)`,
        ];
        for (const index of spec.indexes ?? []) {
          if (index.fields.length === 0) throw new Error("DocStore: an index needs at least one field");
          const unique = index.unique === true;
          const columns = index.fields.map((field) => valueExpr(field));
          // A trailing id lets "ORDER BY field, id" (every page of a list) read the index in order.
          if (!unique && !index.fields.includes("id")) columns.push("id");
          statements.push(
            `CREATE ${unique ? "UNIQUE " : ""}INDEX IF NOT EXISTS ${indexName(spec.name, index.fields, unique)} ON ${q} (${columns.join(", ")})`,
          );
        }
        this.db.transaction(() => {
          for (const sql of statements) this.db.exec(sql);
        })();
        // Compiled statements may reference an older schema; better-sqlite3 re-prepares, but keep it simple.
        this.statements.clear();
      }),
    );
  }

  transaction<T, E>(work: (tx: DocStoreSession) => Promise<Result<T, E>>): Promise<Result<T, E>> {
    return this.gate.exclusive(async (isActive) => {
      this.live(() => this.db.exec("BEGIN IMMEDIATE"));
      const guard = <R>(op: () => R): Promise<R> => {
        if (!isActive()) return Promise.reject(new Error("DocStore: this transaction is already over"));
        try {
          return Promise.resolve(op());
        } catch (error) {
          return Promise.reject(error);
        }
      };
      const session: DocStoreSession = {
        table: <R extends StoredRecord>(name: string): Table<R> => {
          assertTableName(name);
          return new SqliteTable<R>(name, this.statements, guard);
        },
      };
      let result: Result<T, E>;
      try {
        result = await work(session);
        if (typeof result !== "object" || result === null || typeof result.ok !== "boolean") {
          throw new Error("DocStore: transaction work must return a Result");
        }
      } catch (error) {
        this.rollback();
        throw error;
      }
      if (!result.ok) {
        this.rollback();
        return result;
      }
      try {
        this.db.exec("COMMIT");
      } catch (error) {
        this.rollback();
        throw error;
      }
      return result;
    });
  }

  async ping(): Promise<boolean> {
    if (this.closed) return false;
    try {
      return await this.gate.run(() => this.statements.get("SELECT 1").pluck().get() === 1);
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.gate.run(() => {
      this.closed = true;
      this.statements.clear();
      this.db.close();
    });
  }

  private rollback(): void {
    // A failed COMMIT or an error inside SQLite may already have ended the transaction.
    if (this.db.inTransaction) this.db.exec("ROLLBACK");
  }

  private live<R>(operation: () => R): R {
    if (this.closed) throw new Error("DocStore: the store is closed");
    return operation();
  }
}

export function openSqliteDocStore(options: SqliteDocStoreOptions): DocStore {
  makePrivate(options.path);
  const db = new Database(options.path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
  db.pragma("foreign_keys = OFF");
  // Deleted data must leave the disk (DESIGN §6): freed pages are zeroed rather than kept as they
  // were, and the WAL is cut back after each checkpoint instead of keeping old frames at its tail.
  db.pragma("secure_delete = ON");
  db.pragma("journal_size_limit = 0");
  return new SqliteDocStore(db, options.reentryCheck ?? true);
}

/**
 * The database file is created (or tightened to) 0600 before SQLite opens it, whatever the umask:
 * SQLite gives its -wal, -shm and journal files the mode of the database file, so they follow.
 */
function makePrivate(path: string): void {
  if (path === ":memory:" || path === "" || path.startsWith("file:")) return;
  closeSync(openSync(path, "a", 0o600));
  chmodSync(path, 0o600);
}
