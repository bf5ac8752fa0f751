import { err, ok, type Result } from "@strata/errors";
import { type ClientSession, type Collection, type Document, MongoServerError } from "mongodb";
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
import { orderToSort, whereToFilter } from "./where-filter.js";

/** How a record is stored: `_id` is the record id, `_v` its version, every other field as-is. */
export interface StoredDoc extends Document {
  _id: string;
  _v: number;
}

const DUPLICATE_KEY = 11000;

/** What a table needs from its surroundings: a session inside a transaction, and a liveness check. */
export interface MongoScope {
  readonly session?: ClientSession;
  /** Throws when the store is closed or the transaction is over or doomed. */
  check(): void;
  /** Inside a transaction MongoDB aborts it on a write error; later writes must not pretend otherwise. */
  onWriteError(): void;
}

function toDoc(record: StoredRecord, version: number): StoredDoc {
  if (typeof record.id !== "string" || record.id.length === 0) {
    throw new Error("DocStore: a record needs a non-empty string id");
  }
  // JSON round trip: the same normalisation (undefined dropped) as the other adapters.
  const { id, ...rest } = JSON.parse(JSON.stringify(record)) as StoredRecord & Record<string, unknown>;
  if ("_id" in rest || "_v" in rest) throw new Error("DocStore: fields _id and _v are reserved");
  return { ...rest, _id: id, _v: version };
}

function fromDoc<T extends StoredRecord>(doc: Document): Versioned<T> {
  const { _id, _v, ...rest } = doc;
  if (typeof _id !== "string" || typeof _v !== "number")
    throw new Error("DocStore: unexpected document shape");
  return { record: { id: _id, ...rest } as unknown as T, version: _v };
}

function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY;
}

export class MongoTable<T extends StoredRecord> implements Table<T> {
  constructor(
    private readonly collection: Collection<StoredDoc>,
    private readonly scope: MongoScope,
  ) {}

  private get options(): { session?: ClientSession } {
    this.scope.check();
    return this.scope.session ? { session: this.scope.session } : {};
  }

  async get(id: string): Promise<Versioned<T> | undefined> {
    const doc = await this.collection.findOne({ _id: id }, this.options);
    return doc ? fromDoc<T>(doc) : undefined;
  }

  async insert(record: T): Promise<Result<Versioned<T>, InsertError>> {
    const doc = toDoc(record, 1);
    try {
      await this.collection.insertOne(doc, this.options);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      this.scope.onWriteError();
      return err("already_exists");
    }
    return ok(fromDoc<T>(doc));
  }

  async replace(record: T, expectedVersion: number): Promise<Result<Versioned<T>, ReplaceError>> {
    const doc = toDoc(record, expectedVersion + 1);
    const options = this.options;
    let matched: number;
    try {
      const { _id, ...replacement } = doc;
      matched = (await this.collection.replaceOne({ _id, _v: expectedVersion }, replacement, options))
        .matchedCount;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      this.scope.onWriteError();
      return err("already_exists");
    }
    if (matched === 0) {
      const exists = await this.collection.findOne({ _id: doc._id }, { ...options, projection: { _id: 1 } });
      return err(exists ? "version_conflict" : "not_found");
    }
    return ok(fromDoc<T>(doc));
  }

  async delete(id: string, expectedVersion?: number): Promise<boolean> {
    const filter = expectedVersion === undefined ? { _id: id } : { _id: id, _v: expectedVersion };
    return (await this.collection.deleteOne(filter, this.options)).deletedCount > 0;
  }

  async find(options: FindOptions = {}): Promise<Versioned<T>[]> {
    const filter = whereToFilter(parseWhere(options.where));
    const sort = orderToSort(options.orderBy);
    const { limit } = options;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
      throw new Error(`DocStore: invalid limit ${limit}`);
    }
    // MongoDB reads limit 0 as "no limit".
    if (limit === 0) return [];
    const cursor = this.collection.find(filter, { ...this.options, sort, ...(limit ? { limit } : {}) });
    return (await cursor.toArray()).map((doc) => fromDoc<T>(doc));
  }

  async count(where?: Where): Promise<number> {
    return this.collection.countDocuments(whereToFilter(parseWhere(where)), this.options);
  }

  async ids(where?: Where): Promise<string[]> {
    const cursor = this.collection.find(whereToFilter(parseWhere(where)), {
      ...this.options,
      projection: { _id: 1 },
      sort: { _id: 1 },
    });
    return (await cursor.toArray()).map((doc) => doc._id);
  }

  async deleteMany(where: Where): Promise<number> {
    return (await this.collection.deleteMany(whereToFilter(parseWhere(where)), this.options)).deletedCount;
  }
}
