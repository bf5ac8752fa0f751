import { err, ok, type Result } from "@strata/errors";
import { assertFieldPath } from "../names.js";
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
import { compareValues, evaluate, readPath } from "./match-where.js";

export interface MemoryRow {
  readonly record: StoredRecord;
  readonly version: number;
}

export interface UniqueIndex {
  readonly fields: readonly string[];
  /** Unique key → id of the record holding it. */
  readonly keys: Map<string, string>;
}

export interface MemoryTableData {
  readonly rows: Map<string, MemoryRow>;
  readonly uniques: UniqueIndex[];
}

/** Called before every change so a transaction can undo it. */
export type BeforeWrite = (data: MemoryTableData, id: string) => void;

/** JSON round trip: the copy a real store would hand back (undefined dropped, no shared objects). */
export function copyRecord<T>(record: T): T {
  return JSON.parse(JSON.stringify(record)) as T;
}

export function uniqueKey(record: object, fields: readonly string[]): string | undefined {
  const values = fields.map((field) => readPath(record, field));
  // Like SQLite and the Mongo partial index: a record missing any indexed field is not constrained.
  if (values.some((value) => value === null || value === undefined)) return undefined;
  return JSON.stringify(values);
}

function violatesUnique(data: MemoryTableData, record: StoredRecord): boolean {
  for (const index of data.uniques) {
    const key = uniqueKey(record, index.fields);
    const holder = key === undefined ? undefined : index.keys.get(key);
    if (holder !== undefined && holder !== record.id) return true;
  }
  return false;
}

/** Sets or removes a row and keeps the unique indexes in step; the only way rows change. */
export function setRow(data: MemoryTableData, id: string, row: MemoryRow | undefined): void {
  const previous = data.rows.get(id);
  for (const index of data.uniques) {
    const oldKey = previous ? uniqueKey(previous.record, index.fields) : undefined;
    if (oldKey !== undefined) index.keys.delete(oldKey);
    const newKey = row ? uniqueKey(row.record, index.fields) : undefined;
    if (newKey !== undefined) index.keys.set(newKey, id);
  }
  if (row) data.rows.set(id, row);
  else data.rows.delete(id);
}

function out<T extends StoredRecord>(row: MemoryRow): Versioned<T> {
  return { record: copyRecord(row.record) as T, version: row.version };
}

export class MemoryTable<T extends StoredRecord> implements Table<T> {
  constructor(
    private readonly resolve: () => MemoryTableData,
    private readonly guard: <R>(operation: () => R) => Promise<R>,
    private readonly beforeWrite: BeforeWrite,
  ) {}

  get(id: string): Promise<Versioned<T> | undefined> {
    return this.guard(() => {
      const row = this.resolve().rows.get(id);
      return row ? out<T>(row) : undefined;
    });
  }

  insert(record: T): Promise<Result<Versioned<T>, InsertError>> {
    return this.guard(() => {
      const data = this.resolve();
      const copy = checkedCopy(record);
      if (data.rows.has(copy.id) || violatesUnique(data, copy)) return err("already_exists" as const);
      this.write(data, copy.id, { record: copy, version: 1 });
      return ok({ record: copyRecord(copy) as T, version: 1 });
    });
  }

  replace(record: T, expectedVersion: number): Promise<Result<Versioned<T>, ReplaceError>> {
    return this.guard(() => {
      const data = this.resolve();
      const copy = checkedCopy(record);
      const current = data.rows.get(copy.id);
      if (!current) return err("not_found" as const);
      if (current.version !== expectedVersion) return err("version_conflict" as const);
      if (violatesUnique(data, copy)) return err("already_exists" as const);
      const version = current.version + 1;
      this.write(data, copy.id, { record: copy, version });
      return ok({ record: copyRecord(copy) as T, version });
    });
  }

  delete(id: string, expectedVersion?: number): Promise<boolean> {
    return this.guard(() => {
      const data = this.resolve();
      const current = data.rows.get(id);
      if (!current || (expectedVersion !== undefined && current.version !== expectedVersion)) return false;
      this.write(data, id, undefined);
      return true;
    });
  }

  find(options: FindOptions = {}): Promise<Versioned<T>[]> {
    return this.guard(() => {
      const matched = this.matching(options.where);
      const orderBy = options.orderBy ?? [];
      for (const { field, direction } of orderBy) {
        assertFieldPath(field);
        if (direction !== "asc" && direction !== "desc")
          throw new Error(`DocStore: invalid direction ${direction}`);
      }
      matched.sort((a, b) => {
        for (const { field, direction } of orderBy) {
          const order = compareValues(readPath(a.record, field), readPath(b.record, field));
          if (order !== 0) return direction === "asc" ? order : -order;
        }
        return a.record.id < b.record.id ? -1 : a.record.id > b.record.id ? 1 : 0;
      });
      if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit < 0)) {
        throw new Error(`DocStore: invalid limit ${options.limit}`);
      }
      return matched.slice(0, options.limit).map((row) => out<T>(row));
    });
  }

  count(where?: Where): Promise<number> {
    return this.guard(() => this.matching(where).length);
  }

  ids(where?: Where): Promise<string[]> {
    return this.guard(() =>
      this.matching(where)
        .map((row) => row.record.id)
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  }

  deleteMany(where: Where): Promise<number> {
    return this.guard(() => {
      const data = this.resolve();
      const doomed = this.matching(where);
      for (const row of doomed) this.write(data, row.record.id, undefined);
      return doomed.length;
    });
  }

  private matching(where: Where | undefined): MemoryRow[] {
    const node = parseWhere(where);
    return [...this.resolve().rows.values()].filter((row) => evaluate(node, row.record));
  }

  private write(data: MemoryTableData, id: string, row: MemoryRow | undefined): void {
    this.beforeWrite(data, id);
    setRow(data, id, row);
  }
}

function checkedCopy<T extends StoredRecord>(record: T): T {
  if (typeof record.id !== "string" || record.id.length === 0) {
    throw new Error("DocStore: a record needs a non-empty string id");
  }
  return copyRecord(record);
}
