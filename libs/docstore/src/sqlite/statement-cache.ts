import type { Database, Statement } from "better-sqlite3";

/**
 * Prepared statements keyed by SQL text. Query SQL depends only on the shape of a `Where` (values
 * are bound), so a service's handful of query shapes are each compiled once.
 */
export class StatementCache {
  private readonly statements = new Map<string, Statement<unknown[], unknown>>();

  constructor(
    private readonly db: Database,
    private readonly capacity = 512,
  ) {}

  get(sql: string): Statement<unknown[], unknown> {
    const cached = this.statements.get(sql);
    if (cached) return cached;
    if (this.statements.size >= this.capacity) {
      // Evict the oldest entry: Map keeps insertion order.
      const oldest = this.statements.keys().next();
      if (!oldest.done) this.statements.delete(oldest.value);
    }
    const statement = this.db.prepare<unknown[], unknown>(sql);
    this.statements.set(sql, statement);
    return statement;
  }

  clear(): void {
    this.statements.clear();
  }
}
