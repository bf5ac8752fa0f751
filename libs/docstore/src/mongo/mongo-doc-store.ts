import type { Result } from "@strata/errors";
import { type Db, MongoClient, MongoServerError } from "mongodb";
import { assertTableName } from "../names.js";
import type { DocStore, DocStoreSession, IndexSpec, StoredRecord, Table, TableSpec } from "../port.js";
import { type MongoScope, MongoTable, type StoredDoc } from "./mongo-table.js";
import { mongoField } from "./where-filter.js";

export interface MongoDocStoreOptions {
  /** A replica set (transactions need one), e.g. mongodb://host:27017/?replicaSet=rs0. */
  readonly url: string;
  readonly database: string;
}

const NAMESPACE_EXISTS = 48;
/** Types a unique index constrains; null and absent are exempt, as in SQLite's unique indexes. */
const CONSTRAINED_TYPES = ["string", "number", "bool", "object", "array"];

function indexName(index: IndexSpec): string {
  return `ix_${index.fields.join("__")}${index.unique === true ? "__u" : ""}`;
}

class MongoDocStore implements DocStore {
  private closed = false;
  private readonly outside: MongoScope = {
    check: () => this.assertOpen(),
    onWriteError: () => {},
  };

  constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
  ) {}

  table<T extends StoredRecord>(name: string): Table<T> {
    assertTableName(name);
    return new MongoTable<T>(this.db.collection<StoredDoc>(name), this.outside);
  }

  async ensureTable(spec: TableSpec): Promise<void> {
    assertTableName(spec.name);
    this.assertOpen();
    try {
      await this.db.createCollection(spec.name);
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === NAMESPACE_EXISTS)) throw error;
    }
    const indexes = (spec.indexes ?? []).filter(
      (index) => !(index.fields.length === 1 && index.fields[0] === "id"),
    );
    if (indexes.length === 0) return;
    await this.db.collection(spec.name).createIndexes(
      indexes.map((index) => {
        if (index.fields.length === 0) throw new Error("DocStore: an index needs at least one field");
        const key = Object.fromEntries(index.fields.map((field) => [mongoField(field), 1]));
        if (index.unique !== true) return { key, name: indexName(index) };
        const partialFilterExpression = Object.fromEntries(
          index.fields.map((field) => [mongoField(field), { $type: CONSTRAINED_TYPES }]),
        );
        return { key, name: indexName(index), unique: true, partialFilterExpression };
      }),
    );
  }

  async transaction<T, E>(work: (tx: DocStoreSession) => Promise<Result<T, E>>): Promise<Result<T, E>> {
    this.assertOpen();
    const session = this.client.startSession();
    let active = true;
    let doomed = false;
    const scope: MongoScope = {
      session,
      check: () => {
        this.assertOpen();
        if (!active) throw new Error("DocStore: this transaction is already over");
        if (doomed) {
          throw new Error(
            "DocStore: a failed write aborted this MongoDB transaction; return its error instead",
          );
        }
      },
      onWriteError: () => {
        doomed = true;
      },
    };
    const tx: DocStoreSession = {
      table: <R extends StoredRecord>(name: string): Table<R> => {
        assertTableName(name);
        return new MongoTable<R>(this.db.collection<StoredDoc>(name), scope);
      },
    };
    try {
      // withTransaction retries `work` on transient errors (write conflicts), as MongoDB advises.
      return await session.withTransaction(
        async () => {
          doomed = false;
          const result = await work(tx);
          if (!result.ok) {
            await session.abortTransaction();
            return result;
          }
          if (doomed)
            throw new Error("DocStore: work returned ok after a failed write aborted the transaction");
          return result;
        },
        { readConcern: { level: "snapshot" }, writeConcern: { w: "majority" }, readPreference: "primary" },
      );
    } finally {
      active = false;
      await session.endSession();
    }
  }

  async ping(): Promise<boolean> {
    if (this.closed) return false;
    try {
      const answer = await this.db.command({ ping: 1 });
      return answer.ok === 1;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.close();
  }

  private assertOpen(): void {
    // The driver would silently reconnect a closed client; a closed store stays closed.
    if (this.closed) throw new Error("DocStore: the store is closed");
  }
}

/** Connects to MongoDB (fails when the server cannot be reached) and returns a DocStore over one database. */
export async function openMongoDocStore(options: MongoDocStoreOptions): Promise<DocStore> {
  const client = new MongoClient(options.url, { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  return new MongoDocStore(client, client.db(options.database));
}
