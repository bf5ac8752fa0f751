import { chunksOf, type TakenLater, takenLater } from "@strata/batching";
import { buildEvent, type EventEnvelope } from "@strata/events";
import type { AccessedDocument, RecordAccess } from "./ports.js";

interface Counts {
  readonly doc: AccessedDocument;
  reads: number;
  hits: number;
  /** ISO time of the last access: one per call, so an event's entries need no conversion. */
  last: string;
}

/** One call's accesses, waiting to be counted. */
interface Uncounted {
  readonly documents: readonly AccessedDocument[];
  readonly hits: boolean;
  readonly at: Date;
}

/** Counts by collection id, then by document id: no key string built per access. */
type CountsByDocument = Map<string, Map<string, Counts>>;

export interface AccessWindowOptions {
  /** Publishes the window's document.accessed events (one per namespace); failures are the caller's to log. */
  readonly publish: (events: readonly EventEnvelope<"document.accessed">[]) => Promise<void>;
  /**
   * An event that could not be built or published (a bug: its data broke the catalogue's schema, or
   * `publish` threw). Its counts are dropped; the windows after it are published as before.
   */
  readonly onError: (error: unknown, documents: number) => void;
  readonly clock: () => Date;
  /** A window closes after this long (default WINDOW_MS)… */
  readonly flushMs?: number;
  /** …or once it counts this many distinct documents (default WINDOW_DOCUMENTS), whichever comes first. */
  readonly maxEntries?: number;
}

/**
 * 5 s: the tier-migrator writes the counts it receives every 5 s (TIER_ACCESS_FLUSH_INTERVAL) and
 * tiering decides in hours, so a shorter window adds events, not precision. A document hit again
 * within the window stays one entry; with 1 s windows, a hit a second later was a second entry,
 * built, validated, published and decoded again.
 */
const WINDOW_MS = 5_000;
/** At most this many documents' counts wait in memory (a few MB); a busier window closes early. */
const WINDOW_DOCUMENTS = 20_000;
/** Calls whose accesses wait to be counted before they are counted at once, whatever the timer. */
const MOST_UNCOUNTED = 4_096;
/** Between the events of one window: a full window's 40 events go out over about a second. */
const EVENT_SPACING_MS = 25;

/**
 * Most documents one document.accessed event names. 5,000 documents with ids of up to 128
 * characters would be about 1.5 MB of JSON, past NATS's default 1 MB message limit, and one
 * large event is also one long task for every consumer, which queries behind it wait for.
 */
export const ACCESSES_PER_EVENT = 500;

/**
 * Reads and search hits counted in memory per document and published as document.accessed events
 * per namespace per window (5 s, or sooner when the window is full), at most ACCESSES_PER_EVENT
 * documents each, EVENT_SPACING_MS apart: an access costs an array push (its documents are counted
 * a moment later, after the answer), never a store write or a publish of its own. A crash loses at
 * most one window's counts, which only makes tiering decisions a little less informed.
 */
export class AccessWindow implements RecordAccess {
  readonly #options: AccessWindowOptions;
  #counts: CountsByDocument = new Map();
  /** Distinct documents counted in the window. */
  #size = 0;
  #start: Date;
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();
  /** Accesses not counted yet, each call's documents with the moment it happened (see #countSoon). */
  readonly #uncounted: TakenLater<Uncounted> = takenLater((calls) => this.#countAll(calls), MOST_UNCOUNTED);

  constructor(options: AccessWindowOptions) {
    this.#options = options;
    this.#start = options.clock();
  }

  reads(documents: readonly AccessedDocument[]): void {
    this.#countSoon(documents, false);
  }

  hits(documents: readonly AccessedDocument[]): void {
    this.#countSoon(documents, true);
  }

  /** Publishes what is counted now (tests; stop). */
  flush(): Promise<void> {
    this.#uncounted.takeNow();
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const counts = this.#counts;
    const size = this.#size;
    const start = this.#start;
    this.#counts = new Map();
    this.#size = 0;
    this.#start = this.#options.clock();
    if (size === 0) return this.#flushing;
    const end = this.#start;
    const groups = groupsOf(counts);
    this.#flushing = this.#flushing.then(async () => {
      for (const [namespaceId, list] of groups) {
        // One event per EVENT_SPACING_MS: building and validating a full window's events at once
        // took 8–11 ms in one go (profiled), and each consumer's decoding of them as many more; the
        // queries that arrived meanwhile waited.
        await new Promise((resolve) => setTimeout(resolve, EVENT_SPACING_MS));
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

  /**
   * Keeps the call's documents to count a moment later, in a timer's turn, once its answer has gone
   * out: counting a search's ten hits into maps of thousands of documents took 20–25 µs of every
   * query (profile of 2026-12-06), and the caller waits for none of it. One timer counts every call
   * of that moment. The clock is read now: a search's hits are accessed at one moment.
   */
  #countSoon(documents: readonly AccessedDocument[], hits: boolean): void {
    if (documents.length > 0) this.#uncounted.add({ documents, hits, at: this.#options.clock() });
  }

  #countAll(calls: readonly Uncounted[]): void {
    for (const { documents, hits, at } of calls) {
      const now = at.toISOString();
      for (const doc of documents) {
        const counts = this.#count(doc, now);
        if (hits) counts.hits += 1;
        else counts.reads += 1;
      }
    }
    this.#schedule();
  }

  #count(doc: AccessedDocument, now: string): Counts {
    let byDocument = this.#counts.get(doc.collection_id);
    if (byDocument === undefined) {
      byDocument = new Map();
      this.#counts.set(doc.collection_id, byDocument);
    }
    let counts = byDocument.get(doc.document_id);
    if (counts === undefined) {
      counts = { doc, reads: 0, hits: 0, last: now };
      byDocument.set(doc.document_id, counts);
      this.#size += 1;
    } else counts.last = now;
    return counts;
  }

  #schedule(): void {
    if (this.#size >= (this.#options.maxEntries ?? WINDOW_DOCUMENTS)) {
      void this.flush();
      return;
    }
    if (this.#timer !== undefined || this.#size === 0) return;
    this.#timer = setTimeout(() => void this.flush(), this.#options.flushMs ?? WINDOW_MS);
    this.#timer.unref();
  }
}

/** The counted documents by namespace, at most ACCESSES_PER_EVENT in each group. */
function groupsOf(counts: CountsByDocument): Array<readonly [string, Counts[]]> {
  const byNamespace = new Map<string, Counts[]>();
  for (const byDocument of counts.values()) {
    for (const c of byDocument.values()) {
      const list = byNamespace.get(c.doc.namespace_id) ?? [];
      list.push(c);
      byNamespace.set(c.doc.namespace_id, list);
    }
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
        last_accessed_at: c.last,
      })),
    },
  );
}
