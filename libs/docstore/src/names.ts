/**
 * Field paths and table names end up inside SQL text (SQLite expression indexes only match literal
 * JSON paths) and Mongo field names, so they are validated strictly. A bad one is a programming bug.
 */
const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export function assertFieldPath(path: string): void {
  if (!FIELD_PATH.test(path)) {
    throw new Error(`DocStore: invalid field path ${JSON.stringify(path)}`);
  }
}

export function assertTableName(name: string): void {
  if (!TABLE_NAME.test(name)) {
    throw new Error(`DocStore: invalid table name ${JSON.stringify(name)}`);
  }
}
