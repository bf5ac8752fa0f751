import type { StoredRecord, Table } from "./port.js";

/**
 * What became of a record written with a derived id: inserted now, present already (an earlier run
 * wrote this very record, since its id names it), or refused because another record with another id
 * holds one of the table's unique fields.
 */
export type InsertOnceOutcome = "inserted" | "present" | "unique_taken";

/**
 * Inserts `record` unless a record with its id exists: work that derives its ids (a clone's copies,
 * ADR 0030) can run again after a redelivery or a crash and writes nothing twice.
 */
export async function insertOnce<T extends StoredRecord>(
  table: Table<T>,
  record: T,
): Promise<InsertOnceOutcome> {
  if ((await table.get(record.id)) !== undefined) return "present";
  const inserted = await table.insert(record);
  if (inserted.ok) return "inserted";
  // A concurrent run inserted the same id first, or a unique field belongs to another record.
  return (await table.get(record.id)) === undefined ? "unique_taken" : "present";
}
