import { chunksOf } from "@strata/batching";
import { buildEvent, type EventEnvelope } from "@strata/events";
import type { AccessedDocument, RecordAccess } from "./ports.js";

interface Counts {
  readonly doc: AccessedDocument;
  reads: number;
  hits: number;
  last: Date;
}

export interface AccessWindowOptions {
  /** Publishes the window's document.accessed events (one per namespace); failures are the caller's to log. */
  readonly publish: (events: readonly EventEnvelope<"document.accessed">[]) => Promise<void>;
  /**
   * An event that could not be built or published (a bug: its data broke the catalogue's schema, or
   * `publish` threw). Its counts are dropped; the windows after it are published as before.
   */
  readonly onError: (error: unknown, documents: number) => void;
  readonly clock: () => Date;
  /** A window closes after this long… */
  readonly flushMs?: number;
  /** …or once it counts this many distinct documents, whichever comes first. */
  readonly maxEntries?: number;
}

/**
 * Most documents one document.accessed event names. A full window (5,000 documents with ids of up
 * to 128 characters) would be about 1.5 MB of JSON, past NATS's default 1 MB message limit, and one
 * large event is also one long task for every consumer, which queries behind it wait for.
 */
export const ACCESSES_PER_EVENT = 500;

/**
 * Reads and search hits counted in memory per document and published as document.accessed events
 * per namespace per window (~1 s, or sooner when the window is full), at most ACCESSES_PER_EVENT
 * documents each and one per turn of the event loop: an access costs a map update, never a store
 * write or a publish of its own. A crash loses at most one window's counts, which only makes tiering
 * decisions a little less informed.
 */
export class AccessWindow implements RecordAccess {
  readonly #options: AccessWindowOptions;
  #counts = new Map<string, Counts>();
  #start: Date;
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();

  constructor(options: AccessWindowOptions) {
    this.#options = options;
    this.#start = options.clock();
  }

  reads(documents: readonly AccessedDocument[]): void {
    if (documents.length === 0) return;
    const now = this.#options.clock();
    for (const doc of documents) this.#count(doc, now).reads += 1;
    this.#schedule();
  }

  hits(documents: readonly AccessedDocument[]): void {
    if (documents.length === 0) return;
    // One reading of the clock for the call: a search's hits are accessed at one moment.
    const now = this.#options.clock();
    for (const doc of documents) this.#count(doc, now).hits += 1;
    this.#schedule();
  }

  /** Publishes what is counted now (tests; stop). */
  flush(): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const counts = this.#counts;
    const start = this.#start;
    this.#counts = new Map();
    this.#start = this.#options.clock();
    if (counts.size === 0) return this.#flushing;
    const end = this.#start;
    const groups = groupsOf(counts);
    this.#flushing = this.#flushing.then(async () => {
      for (const [namespaceId, list] of groups) {
        // One event per turn of the event loop: building and validating a full window's events at
        // once took 8–11 ms in one go (profiled), and the queries that arrived meanwhile waited.
        await new Promise((resolve) => setImmediate(resolve));
        try {
          await this.#options.publish([eventOf(namespaceId, list, start, end)]);
        } catch (error) {
          // A rejection here would stop every later window (each waits on this chain), and the
          // timer's flush would leave it unhandled, which ends the process.
          this.#options.onError(error, list.length);
        }
      }
    });
    return this.#flushing;
  }

  #count(doc: AccessedDocument, now: Date): Counts {
    const key = `${doc.collection_id}/${doc.document_id}`;
    let counts = this.#counts.get(key);
    if (counts === undefined) {
      counts = { doc, reads: 0, hits: 0, last: now };
      this.#counts.set(key, counts);
    } else counts.last = now;
    return counts;
  }

  #schedule(): void {
    if (this.#counts.size >= (this.#options.maxEntries ?? 5000)) {
      void this.flush();
      return;
    }
    if (this.#timer !== undefined || this.#counts.size === 0) return;
    this.#timer = setTimeout(() => void this.flush(), this.#options.flushMs ?? 1000);
    this.#timer.unref();
  }
}

/** The counted documents by namespace, at most ACCESSES_PER_EVENT in each group. */
function groupsOf(counts: ReadonlyMap<string, Counts>): Array<readonly [string, Counts[]]> {
  const byNamespace = new Map<string, Counts[]>();
  for (const c of counts.values()) {
    const list = byNamespace.get(c.doc.namespace_id) ?? [];
    list.push(c);
    byNamespace.set(c.doc.namespace_id, list);
  }
  return [...byNamespace].flatMap(([namespaceId, all]) =>
    chunksOf(all, ACCESSES_PER_EVENT).map((list) => [namespaceId, list] as const),
  );
}

function eventOf(
  namespaceId: string,
  list: readonly Counts[],
  start: Date,
  end: Date,
): EventEnvelope<"document.accessed"> {
  const organizationId = list[0]?.doc.organization_id ?? "";
  return buildEvent(
    "document.accessed",
    { service: "namespace", organizationId, namespaceId, subject: namespaceId, time: end },
    {
      namespace_id: namespaceId,
      organization_id: organizationId,
      window_start: start.toISOString(),
      window_end: end.toISOString(),
      accesses: list.map((c) => ({
        collection_id: c.doc.collection_id,
        document_id: c.doc.document_id,
        tier: c.doc.tier,
        reads: c.reads,
        hits: c.hits,
        last_accessed_at: c.last.toISOString(),
      })),
    },
  );
}
