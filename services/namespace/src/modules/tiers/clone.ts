import { VECTOR_TIERS } from "@strata/contracts";
import { type AppError, err, ok, type Result, unavailable } from "@strata/errors";
import { CLONE_PAGE, type CloneCleanUp, type CloneStep, type CloneWriter } from "../../shared/clone-step.js";
import type { TierEntry, TierVectorStore } from "../../shared/vectors/tier-vectors.js";
import { vectorPayload } from "../../shared/vectors/vector-payload.js";
import { COLLECTIONS_TABLE, type CollectionRecord } from "../collections/tables.js";
import { clonedCollection, clonedDocument } from "../documents/api.js";
import { DOCUMENTS_TABLE, type DocumentRecord } from "../documents/tables.js";
import type { TierPorts } from "./ports.js";

/** The tiers whose copies this step makes (archive holds no vectors). */
const COPIED_TIERS = VECTOR_TIERS;

type CopiedTier = (typeof COPIED_TIERS)[number];

/** What the clean-up drops here; the hot tier's spaces go with the search module's clean-up. */
const DROPPED_TIERS = ["warm", "cold"] as const;

/**
 * The vectors of the source's documents, in the clone's own spaces and objects, in the tier each
 * document's pointer names (ADR 0029). The snapshot names which documents are hot, warm or cold;
 * the documents' turns, held by the clone to its end, keep every write and move of theirs out until
 * the copy is done, so the copies read here are the ones the pointers name. A tier with a bulk copy
 * (the embedded hot index: each space copied whole with its graph, ADR 0037) copies all its documents
 * in one call. Otherwise each page is read from the source's tier in one call and written to the
 * clone's through the tier's own write (hot by upsert, the graph then built in the background), no
 * staging, since nothing sees the clone until it is ready and a failed clone's spaces are dropped
 * whole. Either way the payload is rewritten for the clone's collection and taxonomy ids, which hot
 * and warm records and cold objects carry inside, so their bytes cannot be copied as they are.
 */
export function cloneTierCopies(ports: Pick<TierPorts, "tiers">): CloneStep {
  return async ({ tx, sourceNamespaceId, sourceRecords }) => {
    const collections = await tx
      .table<CollectionRecord>(COLLECTIONS_TABLE)
      .find({ where: { namespace_id: sourceNamespaceId, state: "active" } });
    const byCollection = new Map(collections.map((c) => [c.record.id, c.record]));
    const placed: { tier: CopiedTier; records: DocumentRecord[] }[] = [];
    const documents = await sourceRecords<DocumentRecord>(DOCUMENTS_TABLE);
    for (const tier of COPIED_TIERS) {
      // A document of a collection being deleted is not copied (the documents step skips it too).
      // A document without features holds no vectors in any tier.
      placed.push({
        tier,
        records: documents.filter(
          (r) => r.tier === tier && byCollection.has(r.collection_id) && r.feature_uris.length > 0,
        ),
      });
    }
    return ok(async (writer) => {
      const counts: Record<string, number> = {};
      for (const { tier, records } of placed) {
        const bulk = await copyInBulk(ports.tiers[tier], writer, byCollection, records);
        if (!bulk.ok) return bulk;
        const copied =
          bulk.value === "unsupported"
            ? await copyInPages(ports.tiers[tier], writer, byCollection, records)
            : ok(bulk.value);
        if (!copied.ok) return copied;
        counts[`${tier}_documents`] = records.length;
        counts[`${tier}_vectors`] = copied.value;
      }
      return ok(counts);
    });
  };
}

/** A copy of one tier's documents of the snapshot into the clone; answers the vectors copied. */
type TierCopier<T> = (
  store: TierVectorStore,
  writer: CloneWriter,
  byCollection: ReadonlyMap<string, CollectionRecord>,
  records: readonly DocumentRecord[],
) => Promise<Result<T, AppError>>;

/**
 * Documents per write into the clone's tier. Reads stay a page (`CLONE_PAGE`) at a time; writes
 * gather several pages, because each write is a segment (warm) or pack (cold) of its own, and the
 * warm index merges its small segments again and again as they pile up: written 500 at a time,
 * 20,000 warm vectors were rewritten 42,000 times over, 1.2 s of a 2.6 s copy.
 */
const CLONE_WRITE = 4_096;

/** The tier's documents a page at a time: read from the source's copy, written to the clone's. */
const copyInPages: TierCopier<number> = async (store, writer, byCollection, records) => {
  let vectors = 0;
  for (const [collectionId, documents] of groupBy(records, (r) => r.collection_id)) {
    const source = byCollection.get(collectionId) as CollectionRecord;
    const copy = clonedCollection(source, writer.target);
    let gathered: TierEntry[] = [];
    let gatheredVectors = 0;
    const flush = async (): Promise<Result<void, AppError>> => {
      if (gathered.length === 0) return ok(undefined);
      const written = await store.write(copy, gathered);
      if (!written.ok) return written;
      writer.progress({ [`${store.tier}_vectors`]: gatheredVectors });
      vectors += gatheredVectors;
      gathered = [];
      gatheredVectors = 0;
      return ok(undefined);
    };
    for (let start = 0; start < documents.length; start += CLONE_PAGE) {
      const read = await readTierPage(
        store,
        writer,
        source,
        copy,
        documents.slice(start, start + CLONE_PAGE),
      );
      if (!read.ok) return read;
      gathered.push(...read.value.entries);
      gatheredVectors += read.value.vectors;
      if (gathered.length >= CLONE_WRITE) {
        const flushed = await flush();
        if (!flushed.ok) return flushed;
      }
    }
    const flushed = await flush();
    if (!flushed.ok) return flushed;
  }
  return ok(vectors);
};

/**
 * The tier's bulk copy where it has one (the embedded hot index, ADR 0037): every document of the
 * tier in one call, each space's index copied whole. "unsupported": the caller copies page by page.
 */
const copyInBulk: TierCopier<number | "unsupported"> = async (store, writer, byCollection, records) => {
  if (store.copyDocuments === undefined) return ok("unsupported");
  const collections = [...groupBy(records, (r) => r.collection_id)].map(([collectionId, documents]) => {
    const source = byCollection.get(collectionId) as CollectionRecord;
    const copy = clonedCollection(source, writer.target);
    const payloads = new Map(
      documents.map((r) => [r.document_id, vectorPayload(clonedDocument(r, copy, writer))] as const),
    );
    return { source, copy, payloads };
  });
  const copied = await store.copyDocuments({ collections });
  if (!copied.ok || copied.value === "unsupported") return copied;
  // The pointers name this tier and the turns are held: a missing vector is lost data, not a race.
  const expected = records.reduce((n, r) => n + r.feature_uris.length, 0);
  if (copied.value !== expected)
    return err(
      unavailable(
        `The ${store.tier} tier holds ${copied.value} of the ${expected} vectors its documents' records name; the clone cannot hold them`,
      ),
    );
  writer.progress({ [`${store.tier}_vectors`]: copied.value });
  return copied;
};

/** One page of one tier read from the source's copy, as the clone's entries (payloads rewritten). */
async function readTierPage(
  store: TierVectorStore,
  writer: CloneWriter,
  source: CollectionRecord,
  copy: CollectionRecord,
  records: readonly DocumentRecord[],
): Promise<Result<{ entries: TierEntry[]; vectors: number }, AppError>> {
  const read = await store.read(
    source,
    records.map((r) => r.document_id),
  );
  if (!read.ok) return read;
  const byId = new Map(read.value.map((e) => [e.documentId, e]));
  const entries: TierEntry[] = [];
  let vectors = 0;
  for (const record of records) {
    const entry = byId.get(record.document_id);
    // The pointer names this tier and the turns are held: a missing copy is lost data, not a race.
    if (entry === undefined)
      return err(
        unavailable(
          `Document ${record.document_id} has no copy in the ${store.tier} tier its record names; the clone cannot hold it`,
        ),
      );
    entries.push({ ...entry, payload: vectorPayload(clonedDocument(record, copy, writer)) });
    vectors += entry.vectors.length;
  }
  return ok({ entries, vectors });
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item)) ?? [];
    group.push(item);
    groups.set(key(item), group);
  }
  return groups;
}

/** A failed clone's warm spaces and cold objects: everything of its namespace in either tier. */
export function cleanUpTierCopies(ports: Pick<TierPorts, "tiers">): CloneCleanUp {
  return async (targetNamespaceId) => {
    for (const tier of DROPPED_TIERS) {
      const dropped = await ports.tiers[tier].dropNamespace(targetNamespaceId);
      if (!dropped.ok) return dropped;
    }
    return ok(undefined);
  };
}
