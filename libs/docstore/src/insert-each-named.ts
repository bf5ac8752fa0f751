import { err, ok, type Result } from "@strata/errors";
import type { DocStoreSession, StoredRecord } from "./port.js";

export type NamedInsert = "inserted" | "name_taken";

/**
 * Inserts records whose `nameField` is unique within their namespace (a unique index on
 * namespace_id and it), each on its own, in the caller's transaction: a name already in the table,
 * or earlier among `records`, answers "name_taken" for that record and the others go in. Names are
 * looked up before inserting because a failed write ends the whole transaction on some stores
 * (MongoDB); an insert that collides anyway (a create of the same name racing this one) answers
 * the error "collision", after which the caller must fail its transaction.
 */
export async function insertEachNamed<R extends StoredRecord & { readonly namespace_id: string }>(
  tx: DocStoreSession,
  tableName: string,
  nameField: keyof R & string,
  records: readonly R[],
): Promise<Result<NamedInsert[], "collision">> {
  const table = tx.table<R>(tableName);
  const seen = new Set<string>();
  const answers: NamedInsert[] = [];
  for (const record of records) {
    const key = `${record.namespace_id}\u0000${String(record[nameField])}`;
    const existing = seen.has(key)
      ? 1
      : (
          await table.find({
            where: { namespace_id: record.namespace_id, [nameField]: String(record[nameField]) },
            limit: 1,
          })
        ).length;
    seen.add(key);
    if (existing > 0) {
      answers.push("name_taken");
      continue;
    }
    const inserted = await table.insert(record);
    if (!inserted.ok) return err("collision");
    answers.push("inserted");
  }
  return ok(answers);
}
