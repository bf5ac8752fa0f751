import { validation } from "./fake-errors.js";

type Metadata = Readonly<Record<string, unknown>>;
const OPERATORS = new Set(["$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "$exists"]);

/**
 * Checks a metadata filter the way S3 Vectors documents it (operators $eq $ne $gt $gte $lt $lte $in
 * $nin $exists $and $or; several keys in one object are ANDed; a bare value means $eq) and throws a
 * ValidationException for anything else or for a key the index made non-filterable.
 */
export function checkFilter(filter: unknown, nonFilterable: ReadonlySet<string>, path = "filter"): void {
  if (typeof filter !== "object" || filter === null || Array.isArray(filter)) {
    throw validation("Filter must be an object", path);
  }
  for (const [key, value] of Object.entries(filter)) {
    if (key === "$and" || key === "$or") {
      if (!Array.isArray(value) || value.length === 0)
        throw validation(`${key} needs a non-empty array`, path);
      for (const [i, v] of value.entries()) checkFilter(v, nonFilterable, `${path}.${key}[${i}]`);
      continue;
    }
    if (key.startsWith("$")) throw validation(`Invalid operator ${key}`, path);
    if (nonFilterable.has(key)) throw validation(`Metadata key ${key} is not filterable`, path);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      for (const [op, operand] of Object.entries(value)) {
        if (!OPERATORS.has(op)) throw validation(`Invalid operator ${op}`, `${path}.${key}`);
        if ((op === "$in" || op === "$nin") && !Array.isArray(operand)) {
          throw validation(`${op} needs an array`, `${path}.${key}`);
        }
        if (["$gt", "$gte", "$lt", "$lte"].includes(op) && typeof operand !== "number") {
          throw validation(`${op} needs a number`, `${path}.${key}`);
        }
        if (op === "$exists" && typeof operand !== "boolean")
          throw validation("$exists needs a boolean", `${path}.${key}`);
      }
    }
  }
}

/** Whether the metadata matches. An array value matches $eq/$in when an element does. */
export function matchesFilter(filter: Record<string, unknown>, metadata: Metadata): boolean {
  for (const [key, value] of Object.entries(filter)) {
    if (key === "$and") {
      if (!(value as Record<string, unknown>[]).every((f) => matchesFilter(f, metadata))) return false;
    } else if (key === "$or") {
      if (!(value as Record<string, unknown>[]).some((f) => matchesFilter(f, metadata))) return false;
    } else {
      const ops =
        typeof value === "object" && value !== null && !Array.isArray(value) ? value : { $eq: value };
      for (const [op, operand] of Object.entries(ops))
        if (!matchOperator(op, operand, metadata[key])) return false;
    }
  }
  return true;
}

function matchOperator(op: string, operand: unknown, value: unknown): boolean {
  const present = value !== undefined && value !== null;
  const elements = Array.isArray(value) ? value : [value];
  const eq = (x: unknown) => present && elements.some((e) => e === x);
  switch (op) {
    case "$exists":
      return present === operand;
    case "$eq":
      return eq(operand);
    // Absent keys do not match $ne/$nin here: AWS leaves it undocumented, and the strict reading makes
    // the adapter's explicit "absent or …" translation necessary (so the tests exercise it).
    case "$ne":
      return present && !eq(operand);
    case "$in":
      return (operand as unknown[]).some(eq);
    case "$nin":
      return present && !(operand as unknown[]).some(eq);
    default: {
      if (typeof value !== "number" || typeof operand !== "number") return false;
      if (op === "$gt") return value > operand;
      if (op === "$gte") return value >= operand;
      if (op === "$lt") return value < operand;
      return value <= operand;
    }
  }
}
