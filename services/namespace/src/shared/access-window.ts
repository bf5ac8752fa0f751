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
  readonly clock: () => Date;
  /** A window closes after this long… */
  readonly flushMs?: number;
  /** …or once it counts this many distinct documents, whichever comes first. */
  readonly maxEntries?: number;
}

/**
 * Reads and search hits counted in memory per document and published as one document.accessed
 * event per namespace per window (~1 s, or sooner when the window is full): an access costs a map
 * update, never a store write or a publish of its own. A crash loses at most one window's counts,
 * which only makes tiering decisions a little less informed.
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
    for (const doc of documents) this.#count(doc).reads += 1;
    this.#schedule();
  }

  hits(documents: readonly AccessedDocument[]): void {
    for (const doc of documents) this.#count(doc).hits += 1;
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
    const events = eventsOf(counts, start, this.#start);
    this.#flushing = this.#flushing.then(() => this.#options.publish(events));
    return this.#flushing;
  }

  #count(doc: AccessedDocument): Counts {
    const key = `${doc.collection_id}/${doc.document_id}`;
    let counts = this.#counts.get(key);
    if (counts === undefined) {
      counts = { doc, reads: 0, hits: 0, last: this.#options.clock() };
      this.#counts.set(key, counts);
    } else counts.last = this.#options.clock();
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

function eventsOf(
  counts: ReadonlyMap<string, Counts>,
  start: Date,
  end: Date,
): EventEnvelope<"document.accessed">[] {
  const byNamespace = new Map<string, Counts[]>();
  for (const c of counts.values()) {
    const list = byNamespace.get(c.doc.namespace_id) ?? [];
    list.push(c);
    byNamespace.set(c.doc.namespace_id, list);
  }
  return [...byNamespace].map(([namespaceId, list]) => {
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
  });
}
