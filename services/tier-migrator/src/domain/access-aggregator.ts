import { setImmediate as nextTurn } from "node:timers/promises";
import type { TierName } from "@strata/contracts";
import type { DocStore } from "@strata/docstore";
import { ok } from "@strata/errors";
import { type DocumentKey, namespacesWithPolicy, newAccessRecord } from "./access-rows.js";
import { MAX_PROMOTE_WINDOW_HOURS } from "./policy.js";
import type { Clock } from "./ports.js";
import { ACCESS_TABLE, type AccessRecord, accessId, type HourCount } from "./tables.js";

/** One document.accessed entry: a document's counts over one short window. */
export interface AccessCount extends DocumentKey {
  readonly tier: TierName;
  readonly reads: number;
  readonly hits: number;
  readonly lastAccessedAt: string;
}

interface Pending {
  key: DocumentKey;
  tier: TierName;
  reads: number;
  hits: number;
  lastAccessedAt: string;
  hours: Map<string, number>;
}

/** A cold document read directly since the last flush: it goes back to hot. */
export type ColdRead = DocumentKey;

/**
 * Rows per flush transaction, with a turn of the event loop after each: SQLite answers
 * synchronously, so without the turn a flush of 10,000 documents held the process's one thread
 * for 0.76 s while searches waited (a profile of bench:search's queries). Each row moves two index
 * entries, so a transaction of 200 rows held the thread 38–48 ms, mostly in its COMMIT; one of 25
 * rows held it 0–5 ms, and one in ten 15–27 ms (docs/benchmarks.md).
 */
const ROWS_PER_TRANSACTION = 25;
const HOUR_MS = 3_600_000;

/**
 * Access counts gathered in memory and written as one row update per document per flush, never a
 * store write per hit. `add` answers once the counts are durable, so the event carrying them is
 * acknowledged only then (a crash before the flush redelivers it instead of losing it). Only the
 * namespaces with a tiering policy keep counts: nothing else reads them (ADR 0046). So `add` asks
 * for the policies first and gathers only what a flush would write or send back to hot; counts of a
 * namespace without a policy are answered at once, never merged, held or waited on.
 */
export class AccessAggregator {
  private pending = new Map<string, Pending>();
  private waiters: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  private flushing: Promise<ColdRead[]> | undefined;
  /** Adds still asking for policies: a flush waits for them, so that it holds what came before it. */
  private readonly adding = new Set<Promise<unknown>>();
  private addedCount = 0;

  constructor(
    private readonly store: DocStore,
    private readonly clock: Clock,
  ) {}

  /** Resolves when the counts are in the store (rejects when that flush failed). */
  add(counts: readonly AccessCount[]): Promise<void> {
    const gathering = this.gather(counts);
    this.adding.add(gathering);
    void gathering.finally(() => this.adding.delete(gathering)).catch(() => undefined);
    return gathering.then((held) => held?.durable);
  }

  /**
   * Merges the counts a flush would use, and joins the next flush's waiters if there were any
   * (in the same step, so the flush that takes the counts answers their event).
   */
  private async gather(counts: readonly AccessCount[]): Promise<{ durable: Promise<void> } | undefined> {
    const counted = await namespacesWithPolicy(this.store, counts);
    let held = false;
    for (const count of counts) {
      // The same choice as the flush's: a cold read goes back to hot whether counted or not.
      if (!counted.has(count.namespaceId) && !(count.reads > 0 && count.tier === "cold")) continue;
      this.merge(count);
      held = true;
    }
    this.addedCount += 1;
    if (!held) return undefined;
    return { durable: new Promise((resolve, reject) => this.waiters.push({ resolve, reject })) };
  }

  /** Documents waiting for the next flush. */
  get size(): number {
    return this.pending.size;
  }

  /** Calls of `add` whose counts have been gathered (or found to need nothing): tests wait on it. */
  get added(): number {
    return this.addedCount;
  }

  /** Writes what was gathered; answers the cold documents that were read directly. */
  flush(): Promise<ColdRead[]> {
    this.flushing ??= this.writeAll().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private merge(count: AccessCount): void {
    const id = accessId(count.namespaceId, count.collectionId, count.documentId);
    const entry = this.pending.get(id) ?? {
      key: count,
      tier: count.tier,
      reads: 0,
      hits: 0,
      lastAccessedAt: count.lastAccessedAt,
      hours: new Map<string, number>(),
    };
    entry.reads += count.reads;
    entry.hits += count.hits;
    if (count.lastAccessedAt > entry.lastAccessedAt) entry.lastAccessedAt = count.lastAccessedAt;
    const hour = hourOf(count.lastAccessedAt);
    entry.hours.set(hour, (entry.hours.get(hour) ?? 0) + count.reads + count.hits);
    this.pending.set(id, entry);
  }

  private async writeAll(): Promise<ColdRead[]> {
    await Promise.allSettled([...this.adding]);
    const gathered = [...this.pending.values()];
    const waiters = this.waiters;
    this.pending = new Map();
    this.waiters = [];
    const coldReads: ColdRead[] = [];
    try {
      // Only namespaces with a policy keep counts (ADR 0046); a cold read goes back to hot anyway.
      const counted = await namespacesWithPolicy(
        this.store,
        gathered.map((entry) => entry.key),
      );
      const batch = gathered.filter((entry) => counted.has(entry.key.namespaceId));
      for (const entry of gathered) {
        if (!counted.has(entry.key.namespaceId) && entry.reads > 0 && entry.tier === "cold") {
          coldReads.push(entry.key);
        }
      }
      const keepFrom = new Date(this.clock().getTime() - MAX_PROMOTE_WINDOW_HOURS * HOUR_MS).toISOString();
      for (let i = 0; i < batch.length; i += ROWS_PER_TRANSACTION) {
        const slice = batch.slice(i, i + ROWS_PER_TRANSACTION);
        await this.store.transaction(async (tx) => {
          const table = tx.table<AccessRecord>(ACCESS_TABLE);
          for (const entry of slice) {
            const id = accessId(entry.key.namespaceId, entry.key.collectionId, entry.key.documentId);
            const found = await table.get(id);
            const base = found?.record ?? newAccessRecord(entry.key, entry.tier, entry.lastAccessedAt);
            const merged = mergeInto(base, entry, keepFrom);
            if (found === undefined) await table.insert(merged);
            else await table.replace(merged, found.version);
            if (entry.reads > 0 && merged.tier === "cold") coldReads.push(entry.key);
          }
          return ok(undefined);
        });
        await nextTurn();
      }
    } catch (exception: unknown) {
      for (const waiter of waiters) waiter.reject(exception);
      throw exception;
    }
    for (const waiter of waiters) waiter.resolve();
    return coldReads;
  }
}

function mergeInto(row: AccessRecord, entry: Pending, keepFrom: string): AccessRecord {
  const hours = new Map<string, number>(row.hours.map((h) => [h.hour, h.count]));
  for (const [hour, count] of entry.hours) hours.set(hour, (hours.get(hour) ?? 0) + count);
  const kept: HourCount[] = [...hours]
    .filter(([hour]) => hour >= keepFrom.slice(0, 13))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([hour, count]) => ({ hour, count }));
  const last =
    row.last_accessed_at === null || entry.lastAccessedAt > row.last_accessed_at
      ? entry.lastAccessedAt
      : row.last_accessed_at;
  return {
    ...row,
    last_accessed_at: last,
    idle_since: laterOf(last, row.idle_since),
    reads: row.reads + entry.reads,
    hits: row.hits + entry.hits,
    hours: kept,
  };
}

/** The later of two ISO times (they compare as strings). */
function laterOf(a: string, b: string): string {
  return [a, b].sort()[1] ?? a;
}

/** The hour an ISO time falls in, as `YYYY-MM-DDTHH`. */
export function hourOf(iso: string): string {
  return iso.slice(0, 13);
}

/** Accesses of a row within the window ending now (whole hours: the window's first hour counts). */
export function accessesWithin(row: AccessRecord, now: Date, windowHours: number): number {
  const from = hourOf(new Date(now.getTime() - windowHours * HOUR_MS).toISOString());
  return row.hours.filter((h) => h.hour >= from).reduce((sum, h) => sum + h.count, 0);
}
