import type { DocStoreSession, FindOptions, StoredRecord, Table, Versioned, Where } from "@strata/docstore";
import { jsonEqual } from "../../shared/json-value.js";

type Found = Versioned<StoredRecord> | undefined;

/**
 * Everything a write plan read from the store (ADR 0013): each record it got, by table and id, as
 * it found it (or its absence), and each query it ran with its answer. A plan is a function of
 * these reads and its input, so when they all read the same inside the transaction, planning again
 * there would give the same plan.
 */
export interface PlanBasis {
  readonly gets: ReadonlyMap<string, ReadonlyMap<string, Found>>;
  readonly finds: readonly {
    readonly table: string;
    readonly options: FindOptions;
    readonly found: Found[];
  }[];
  readonly counts: readonly {
    readonly table: string;
    readonly where: Where | undefined;
    readonly n: number;
  }[];
  /** Two reads of one record disagreed (a write landed between them): the plan holds nothing. */
  readonly torn: boolean;
}

/** The session a plan reads through: every read it makes is recorded in its basis. */
export interface PlanSession extends DocStoreSession {
  /**
   * The store unrecorded, for what the plan does not rest on: a record the write replaces by
   * compare-and-set anyway, or one whose changes by others do not change the plan.
   */
  readonly untracked: DocStoreSession;
  /**
   * Reads these records of a table in one query, so that the plan's gets of them are answered from
   * memory; a record becomes part of the basis only when the plan gets it.
   */
  prefetch(table: string, ids: readonly string[]): Promise<void>;
}

/** A session over `store` that records what is read through it; `basis()` is what it read so far. */
export function recordingSession(store: DocStoreSession): {
  readonly session: PlanSession;
  basis(): PlanBasis;
} {
  const gets = new Map<string, Map<string, Found>>();
  const prefetched = new Map<string, Map<string, Found>>();
  const finds: { table: string; options: FindOptions; found: Found[] }[] = [];
  const counts: { table: string; where: Where | undefined; n: number }[] = [];
  let torn = false;
  const mapOf = (maps: Map<string, Map<string, Found>>, table: string) => {
    const existing = maps.get(table);
    if (existing !== undefined) return existing;
    const created = new Map<string, Found>();
    maps.set(table, created);
    return created;
  };
  const readOnly = (): never => {
    throw new Error("A write plan only reads; its writes belong in apply");
  };
  const tableOf = <T extends StoredRecord>(name: string): Table<T> => {
    const inner = store.table<T>(name);
    const recorded = mapOf(gets, name);
    return {
      async get(id) {
        // One answer per record within a plan: later gets see what the first one saw.
        if (recorded.has(id)) return recorded.get(id) as Versioned<T> | undefined;
        const early = prefetched.get(name);
        const found =
          early?.has(id) === true ? (early.get(id) as Versioned<T> | undefined) : await inner.get(id);
        if (recorded.has(id)) {
          torn ||= !sameRead(recorded.get(id), found);
          return recorded.get(id) as Versioned<T> | undefined;
        }
        recorded.set(id, found);
        return found;
      },
      async find(options = {}) {
        const found = await inner.find(options);
        finds.push({ table: name, options, found });
        return found;
      },
      async count(where) {
        const n = await inner.count(where);
        counts.push({ table: name, where, n });
        return n;
      },
      async ids(where) {
        // Recorded as the find it stands for: the basis check compares what a find reads now.
        const found = await inner.find(where === undefined ? {} : { where });
        finds.push({ table: name, options: where === undefined ? {} : { where }, found });
        return found.map((f) => f.record.id);
      },
      insert: readOnly,
      replace: readOnly,
      delete: readOnly,
      deleteMany: readOnly,
    };
  };
  const session: PlanSession = {
    table: tableOf,
    untracked: store,
    async prefetch(table, ids) {
      const early = mapOf(prefetched, table);
      const wanted = ids.filter((id) => !early.has(id));
      if (wanted.length === 0) return;
      const found = await store.table(table).find({ where: { id: { $in: wanted } } });
      const byId = new Map(found.map((v) => [v.record.id, v]));
      for (const id of wanted) early.set(id, byId.get(id));
    },
  };
  return { session, basis: () => ({ gets, finds, counts, torn }) };
}

/**
 * Whether every read of the basis reads the same in `tx`: the records of a table in one query (a
 * get when there is one), the queries again. Cheap next to planning again: no input is validated,
 * and the records a write creates are simply absent.
 */
export async function basisHolds(tx: DocStoreSession, basis: PlanBasis): Promise<boolean> {
  if (basis.torn) return false;
  for (const [table, records] of basis.gets) {
    const ids = [...records.keys()];
    const [only] = ids;
    if (only === undefined) continue;
    const current =
      ids.length === 1
        ? new Map([[only, await tx.table(table).get(only)]])
        : new Map((await tx.table(table).find({ where: { id: { $in: ids } } })).map((v) => [v.record.id, v]));
    for (const [id, found] of records) if (!sameRead(found, current.get(id))) return false;
  }
  for (const { table, options, found } of basis.finds) {
    const again = await tx.table(table).find(options);
    if (again.length !== found.length || !again.every((v, i) => sameRead(found[i], v))) return false;
  }
  for (const { table, where, n } of basis.counts)
    if ((await tx.table(table).count(where)) !== n) return false;
  return true;
}

/**
 * The same record at the same version. The version alone does not say it: a record deleted and
 * created again (a document id reused) starts at version 1 again, with other content.
 */
function sameRead(a: Found, b: Found): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.version === b.version && jsonEqual(a.record, b.record);
}
