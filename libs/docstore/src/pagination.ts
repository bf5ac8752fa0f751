import { createHash } from "node:crypto";
import { err, ok, type Result } from "@strata/errors";
import { assertFieldPath } from "./names.js";
import type { StoredRecord, Table, Versioned, Where } from "./port.js";

export interface ListPageOptions {
  readonly where?: Where;
  /** Page size, 1..1000. */
  readonly limit: number;
  /** The `nextCursor` of the previous page; absent for the first page. */
  readonly cursor?: string | null;
  /** Sort field, default "created_at" (ISO strings sort in time order). Ties are broken by id. */
  readonly orderField?: string;
  /** Default "asc". */
  readonly direction?: "asc" | "desc";
}

export interface Page<T extends StoredRecord> {
  readonly records: Versioned<T>[];
  /** Null on the last page. */
  readonly nextCursor: string | null;
}

export const MAX_PAGE_SIZE = 1000;

type SortValue = string | number | null;

interface CursorBody {
  readonly field: string;
  readonly direction: "asc" | "desc";
  readonly value: SortValue;
  readonly id: string;
}

function checksum(payload: string): string {
  // Not a secret: only catches edited or truncated cursors, which then fail cleanly.
  return createHash("sha256").update(payload).digest("base64url").slice(0, 8);
}

function encodeCursor(body: CursorBody): string {
  const payload = JSON.stringify([body.field, body.direction, body.value, body.id]);
  return Buffer.from(`${checksum(payload)}${payload}`, "utf8").toString("base64url");
}

function decodeCursor(cursor: string): CursorBody | undefined {
  if (!/^[A-Za-z0-9_-]{1,4096}$/.test(cursor)) return undefined;
  const bytes = Buffer.from(cursor, "base64url");
  // Node decodes leniently (stray characters are dropped); only the canonical spelling is ours.
  if (bytes.toString("base64url") !== cursor) return undefined;
  const text = bytes.toString("utf8");
  const payload = text.slice(8);
  if (text.slice(0, 8) !== checksum(payload)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) return undefined;
  const [field, direction, value, id] = parsed as unknown[];
  if (typeof field !== "string" || typeof id !== "string") return undefined;
  if (direction !== "asc" && direction !== "desc") return undefined;
  if (value !== null && typeof value !== "string" && typeof value !== "number") return undefined;
  return { field, direction, value, id };
}

function sortValue(record: StoredRecord, path: string): SortValue {
  let current: unknown = record;
  for (const key of path.split(".")) {
    if (typeof current !== "object" || current === null || Array.isArray(current)) return null;
    current = (current as Record<string, unknown>)[key];
  }
  return typeof current === "string" || typeof current === "number" ? current : null;
}

/**
 * Records strictly after (value, id) in the listing order. Absent or null sort values come first
 * ascending and last descending (as every adapter sorts them); ties go by id ascending.
 */
function after(field: string, direction: "asc" | "desc", value: SortValue, id: string): Where {
  const sameValueLaterId: Where = { $and: [{ [field]: value }, { id: { $gt: id } }] };
  if (value === null) {
    return direction === "asc"
      ? { $or: [sameValueLaterId, { [field]: { $exists: true } }] }
      : sameValueLaterId;
  }
  const beyond: Where = { [field]: direction === "asc" ? { $gt: value } : { $lt: value } };
  const branches: Where[] = [beyond, sameValueLaterId];
  if (direction === "desc") branches.push({ [field]: { $exists: false } });
  return { $or: branches };
}

/**
 * Cursor pagination over a table: stable under inserts and deletes between pages, every record
 * listed once. The cursor is opaque (base64url of the last record's sort value and id); a
 * malformed, edited or foreign cursor gives err("invalid_cursor").
 * Records whose sort field holds something other than a string or number are sorted by the store
 * but cannot be resumed after; keep the sort field a string or number.
 */
export async function listPage<T extends StoredRecord>(
  table: Table<T>,
  options: ListPageOptions,
): Promise<Result<Page<T>, "invalid_cursor">> {
  const field = options.orderField ?? "created_at";
  const direction = options.direction ?? "asc";
  assertFieldPath(field);
  if (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > MAX_PAGE_SIZE) {
    throw new Error(`listPage: limit must be an integer in 1..${MAX_PAGE_SIZE}, got ${options.limit}`);
  }
  const conditions: Where[] = [];
  if (options.where) conditions.push(options.where);
  if (options.cursor !== undefined && options.cursor !== null) {
    const cursor = decodeCursor(options.cursor);
    if (!cursor || cursor.field !== field || cursor.direction !== direction) return err("invalid_cursor");
    conditions.push(after(field, direction, cursor.value, cursor.id));
  }
  const rows = await table.find({
    where: { $and: conditions },
    orderBy: [{ field, direction }],
    limit: options.limit + 1,
  });
  const records = rows.slice(0, options.limit);
  const last = records[records.length - 1];
  const nextCursor =
    rows.length > options.limit && last
      ? encodeCursor({ field, direction, value: sortValue(last.record, field), id: last.record.id })
      : null;
  return ok({ records, nextCursor });
}
