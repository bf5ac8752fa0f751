import { err, ok, type Result } from "@strata/errors";
import type { DocStoreSession, StoredRecord, Table } from "./port.js";

export type NamedInsert = "inserted" | "name_taken";

/**
 * Inserts records whose `nameField` is unique within their namespace (a unique index on
 * namespace_id and it), each on its own, in the caller's transaction: a name already in the table,
 * or earlier among `records`, answers "name_taken" for that record and the others go in. Names are
 * looked up first (a query per 200) because a failed write ends the whole transaction on some
 * stores (MongoDB); an insert that collides anyway (a create of the same name racing this one)
 * answers the error "collision", after which the caller must fail its transaction.
 */
export async function insertEachNamed<R extends StoredRecord & { readonly namespace_id: string }>(
  tx: DocStoreSession,
  tableName: string,
  nameField: keyof R & string,
  records: readonly R[],
): Promise<Result<NamedInsert[], "collision">> {
  const table = tx.table<R>(tableName);
  const taken = await namesTaken(table, nameField, records);
  const answers: NamedInsert[] = [];
  for (const record of records) {
    const key = keyOf(record, nameField);
    if (taken.has(key)) {
      answers.push("name_taken");
      continue;
    }
    taken.add(key);
    const inserted = await table.insert(record);
    if (!inserted.ok) return err("collision");
    answers.push("inserted");
  }
  return ok(answers);
}

const NAMES_PER_QUERY = 200;

function keyOf<R extends StoredRecord & { readonly namespace_id: string }>(
  record: R,
  nameField: keyof R,
): string {
  return `${record.namespace_id}\u0000${String(record[nameField])}`;
}

/** The records' names already in the table, a query per namespace and slice of names. */
async function namesTaken<R extends StoredRecord & { readonly namespace_id: string }>(
  table: Table<R>,
  nameField: keyof R & string,
  records: readonly R[],
): Promise<Set<string>> {
  const byNamespace = new Map<string, string[]>();
  for (const record of records) {
    const names = byNamespace.get(record.namespace_id) ?? [];
    names.push(String(record[nameField]));
    byNamespace.set(record.namespace_id, names);
  }
  const taken = new Set<string>();
  for (const [namespaceId, names] of byNamespace) {
    for (let start = 0; start < names.length; start += NAMES_PER_QUERY) {
      const found = await table.find({
        where: {
          namespace_id: namespaceId,
          [nameField]: { $in: names.slice(start, start + NAMES_PER_QUERY) },
        },
      });
      for (const { record } of found) taken.add(keyOf(record, nameField));
    }
  }
  return taken;
}
