import { err, ok, type Result } from "@strata/errors";
import type {
  FindOptions,
  InsertError,
  ReplaceError,
  StoredRecord,
  Table,
  Versioned,
  Where,
} from "../port.js";
import { parseWhere } from "../where-ast.js";
import type { StatementCache } from "./statement-cache.js";
import { orderToSql, whereToSql } from "./where-sql.js";

interface Row {
  readonly version: number;
  readonly body: string;
}

function isRow(value: unknown): value is Row {
  return typeof value === "object" && value !== null && "version" in value && "body" in value;
}

function toVersioned<T extends StoredRecord>(row: unknown): Versioned<T> {
  if (!isRow(row)) throw new Error("DocStore: unexpected row shape");
  return { record: JSON.parse(row.body) as T, version: row.version };
}

/**
 * What a write answers: the record as stored (its JSON read back, as a later `get` would give it),
 * parsed only when a caller reads it. Most writers never do, and a batch chunk's items record is
 * megabytes of JSON.
 */
function written<T extends StoredRecord>(body: string, version: number): Versioned<T> {
  let record: T | undefined;
  return {
    get record(): T {
      record ??= JSON.parse(body) as T;
      return record;
    },
    version,
  };
}

function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof Error &&
    "code" in error &&
    (error.code === "SQLITE_CONSTRAINT_UNIQUE" || error.code === "SQLITE_CONSTRAINT_PRIMARYKEY")
  );
}

function serialize(record: StoredRecord): string {
  if (typeof record.id !== "string" || record.id.length === 0) {
    throw new Error("DocStore: a record needs a non-empty string id");
  }
  return JSON.stringify(record);
}

/**
 * One DocStore table over one SQLite table. Methods are synchronous; `guard` wraps each call so
 * the store can queue it behind an open transaction (or check that a transaction is still open).
 */
export class SqliteTable<T extends StoredRecord> implements Table<T> {
  private readonly q: string;
  // Built once per table: the hot paths then only look their statement up.
  private readonly sql: {
    readonly get: string;
    readonly insert: string;
    readonly replace: string;
    readonly exists: string;
    readonly delete: string;
    readonly deleteVersion: string;
  };

  constructor(
    name: string,
    private readonly statements: StatementCache,
    private readonly guard: <R>(operation: () => R) => Promise<R>,
  ) {
    const q = `"${name}"`;
    this.q = q;
    this.sql = {
      get: `SELECT version, body FROM ${q} WHERE id = ?`,
      insert: `INSERT INTO ${q} (id, version, body) VALUES (?, 1, ?)`,
      replace: `UPDATE ${q} SET version = version + 1, body = ? WHERE id = ? AND version = ?`,
      exists: `SELECT 1 FROM ${q} WHERE id = ?`,
      delete: `DELETE FROM ${q} WHERE id = ?`,
      deleteVersion: `DELETE FROM ${q} WHERE id = ? AND version = ?`,
    };
  }

  get(id: string): Promise<Versioned<T> | undefined> {
    return this.guard(() => {
      const row = this.statements.get(this.sql.get).get(id);
      return row === undefined ? undefined : toVersioned<T>(row);
    });
  }

  insert(record: T): Promise<Result<Versioned<T>, InsertError>> {
    return this.guard(() => {
      const body = serialize(record);
      try {
        this.statements.get(this.sql.insert).run(record.id, body);
      } catch (error) {
        if (isUniqueViolation(error)) return err("already_exists" as const);
        throw error;
      }
      return ok(written<T>(body, 1));
    });
  }

  replace(record: T, expectedVersion: number): Promise<Result<Versioned<T>, ReplaceError>> {
    return this.guard(() => {
      const body = serialize(record);
      let changes: number;
      try {
        changes = this.statements.get(this.sql.replace).run(body, record.id, expectedVersion).changes;
      } catch (error) {
        if (isUniqueViolation(error)) return err("already_exists" as const);
        throw error;
      }
      if (changes === 0) {
        const exists = this.statements.get(this.sql.exists).get(record.id);
        return err(exists === undefined ? ("not_found" as const) : ("version_conflict" as const));
      }
      return ok(written<T>(body, expectedVersion + 1));
    });
  }

  delete(id: string, expectedVersion?: number): Promise<boolean> {
    return this.guard(() => {
      const result =
        expectedVersion === undefined
          ? this.statements.get(this.sql.delete).run(id)
          : this.statements.get(this.sql.deleteVersion).run(id, expectedVersion);
      return result.changes > 0;
    });
  }

  find(options: FindOptions = {}): Promise<Versioned<T>[]> {
    return this.guard(() => {
      const where = whereToSql(parseWhere(options.where));
      let sql = `SELECT version, body FROM ${this.q} WHERE ${where.sql}${orderToSql(options.orderBy)}`;
      const params = where.params;
      if (options.limit !== undefined) {
        if (!Number.isInteger(options.limit) || options.limit < 0) {
          throw new Error(`DocStore: invalid limit ${options.limit}`);
        }
        sql += " LIMIT ?";
        params.push(options.limit);
      }
      return this.statements
        .get(sql)
        .all(...params)
        .map((row) => toVersioned<T>(row));
    });
  }

  count(where?: Where): Promise<number> {
    return this.guard(() => {
      const w = whereToSql(parseWhere(where));
      const value = this.statements
        .get(`SELECT count(*) AS n FROM ${this.q} WHERE ${w.sql}`)
        .pluck()
        .get(...w.params);
      return Number(value);
    });
  }

  ids(where?: Where): Promise<string[]> {
    return this.guard(() => {
      const w = whereToSql(parseWhere(where));
      return this.statements
        .get(`SELECT id FROM ${this.q} WHERE ${w.sql} ORDER BY id`)
        .pluck()
        .all(...w.params) as string[];
    });
  }

  deleteMany(where: Where): Promise<number> {
    return this.guard(() => {
      const w = whereToSql(parseWhere(where));
      return this.statements.get(`DELETE FROM ${this.q} WHERE ${w.sql}`).run(...w.params).changes;
    });
  }
}
