import type { Result } from "@strata/errors";
import { assertFieldPath, assertTableName } from "../names.js";
import type { DocStore, DocStoreSession, StoredRecord, Table, TableSpec } from "../port.js";
import { TxGate } from "../tx-gate.js";
import {
  type BeforeWrite,
  type MemoryRow,
  MemoryTable,
  type MemoryTableData,
  setRow,
  uniqueKey,
} from "./memory-table.js";

interface UndoEntry {
  readonly data: MemoryTableData;
  readonly id: string;
  readonly previous: MemoryRow | undefined;
}

/**
 * An in-memory DocStore for unit tests of domain code: same semantics as the real adapters
 * (deep copies in and out, unique indexes, compare-and-set, transactions that roll back through an
 * undo log and hide their writes from other callers until they end).
 */
class MemoryDocStore implements DocStore {
  private readonly tables = new Map<string, MemoryTableData>();
  // A store for tests: it always checks for reentry.
  private readonly gate = new TxGate({ reentryCheck: true });
  private closed = false;

  table<T extends StoredRecord>(name: string): Table<T> {
    assertTableName(name);
    return new MemoryTable<T>(
      () => this.data(name),
      (op) => this.gate.run(() => this.live(op)),
      () => {},
    );
  }

  ensureTable(spec: TableSpec): Promise<void> {
    assertTableName(spec.name);
    return this.gate.run(() =>
      this.live(() => {
        let data = this.tables.get(spec.name);
        if (!data) {
          data = { rows: new Map(), uniques: [] };
          this.tables.set(spec.name, data);
        }
        for (const index of spec.indexes ?? []) {
          if (index.fields.length === 0) throw new Error("DocStore: an index needs at least one field");
          for (const field of index.fields) assertFieldPath(field);
          if (index.unique !== true) continue;
          const already = data.uniques.some((u) => u.fields.join("\n") === index.fields.join("\n"));
          if (already) continue;
          const keys = new Map<string, string>();
          for (const [id, row] of data.rows) {
            const key = uniqueKey(row.record, index.fields);
            if (key === undefined) continue;
            if (keys.has(key))
              throw new Error(`DocStore: duplicate values block unique index on ${index.fields}`);
            keys.set(key, id);
          }
          data.uniques.push({ fields: [...index.fields], keys });
        }
      }),
    );
  }

  transaction<T, E>(work: (tx: DocStoreSession) => Promise<Result<T, E>>): Promise<Result<T, E>> {
    return this.gate.exclusive(async (isActive) => {
      this.live(() => undefined);
      const undo: UndoEntry[] = [];
      const beforeWrite: BeforeWrite = (data, id) => {
        undo.push({ data, id, previous: data.rows.get(id) });
      };
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
          return new MemoryTable<R>(() => this.data(name), guard, beforeWrite);
        },
      };
      const rollback = (): void => {
        for (const entry of undo.reverse()) {
          setRow(entry.data, entry.id, entry.previous);
        }
      };
      let result: Result<T, E>;
      try {
        result = await work(session);
        if (typeof result !== "object" || result === null || typeof result.ok !== "boolean") {
          throw new Error("DocStore: transaction work must return a Result");
        }
      } catch (error) {
        rollback();
        throw error;
      }
      if (!result.ok) rollback();
      return result;
    });
  }

  async ping(): Promise<boolean> {
    return !this.closed;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.gate.run(() => {
      this.closed = true;
    });
  }

  private data(name: string): MemoryTableData {
    const data = this.tables.get(name);
    // SQLite fails the same way: tables exist only after ensureTable.
    if (!data) throw new Error(`DocStore: no such table ${name}; call ensureTable first`);
    return data;
  }

  private live<R>(operation: () => R): R {
    if (this.closed) throw new Error("DocStore: the store is closed");
    return operation();
  }
}

export function createMemoryDocStore(): DocStore {
  return new MemoryDocStore();
}
