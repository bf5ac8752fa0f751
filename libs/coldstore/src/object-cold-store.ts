import type { AppError, Result } from "@strata/errors";
import { err, internal, ok, unavailable } from "@strata/errors";
import { mapLimit, type ObjectStore } from "@strata/objectstore";
import { decodeColdDocument, encodeColdDocument } from "./cold-format.js";
import { collectionPrefix, documentKey, namespacePrefix } from "./object-keys.js";
import type { ColdDocument, ColdStore } from "./port.js";
import { readObject } from "./read-object.js";

export interface ObjectColdStoreOptions {
  readonly store: ObjectStore;
  /** Key prefix of every cold object (default "cold"). */
  readonly prefix?: string;
  /** Objects written or read at once by putMany and scan (default 16). */
  readonly concurrency?: number;
  /** Documents per scan page (default 100). */
  readonly pageSize?: number;
}

class ColdObjectCorrupt extends Error {}

/** The cold tier on any ObjectStore: one object per document under its namespace's prefix. */
export function openObjectColdStore(options: ObjectColdStoreOptions): ColdStore {
  const { store } = options;
  const prefix = options.prefix ?? "cold";
  const concurrency = options.concurrency ?? 16;
  const pageSize = options.pageSize ?? 100;

  async function putOne(doc: ColdDocument): Promise<number> {
    const bytes = encodeColdDocument(doc);
    const put = await store.put(documentKey(prefix, doc), bytes);
    if (!put.ok) throw new Error(`cold object write failed: ${put.error}`);
    return bytes.byteLength;
  }

  async function readOne(key: string): Promise<ColdDocument | undefined> {
    const bytes = await readObject(store, key);
    if (bytes === undefined) return undefined;
    const doc = decodeColdDocument(bytes);
    if (typeof doc === "string") throw new ColdObjectCorrupt(`cold object ${key} is corrupt: ${doc}`);
    return doc;
  }

  return {
    put: (doc) => guarded(async () => ({ bytes: await putOne(doc) })),

    putMany: (docs) =>
      guarded(async () => {
        const sizes = await mapLimit(docs, concurrency, putOne);
        return { bytes: sizes.reduce((a, b) => a + b, 0) };
      }),

    get: (ref) =>
      guarded(async () => {
        const doc = await readOne(documentKey(prefix, ref));
        // A hashed key segment could in theory collide; the header names the document for sure.
        const same =
          doc?.namespaceId === ref.namespaceId &&
          doc.collectionId === ref.collectionId &&
          doc.documentId === ref.documentId;
        return same ? doc : undefined;
      }),

    delete: (refs) =>
      guarded(async () => {
        const deleted = await mapLimit(refs, concurrency, (ref) => store.delete(documentKey(prefix, ref)));
        return deleted.filter(Boolean).length;
      }),

    scan(namespaceId, collectionId) {
      const listPrefix =
        collectionId === undefined
          ? namespacePrefix(prefix, namespaceId)
          : collectionPrefix(prefix, namespaceId, collectionId);
      return scanPages(listPrefix);
    },

    dropNamespace: (namespaceId) =>
      guarded(async () => {
        await store.deletePrefix(namespacePrefix(prefix, namespaceId));
      }),
  };

  async function* scanPages(listPrefix: string): AsyncIterable<Result<ColdDocument[], AppError>> {
    let cursor: string | undefined;
    do {
      const at = cursor;
      const page = await guarded(async () => {
        const listed = await store.list(listPrefix, { limit: pageSize, ...(at ? { cursor: at } : {}) });
        const docs = await mapLimit(
          listed.items.filter((i) => i.key.endsWith(".cold")),
          concurrency,
          (i) => readOne(i.key),
        );
        return { docs: docs.filter((d): d is ColdDocument => d !== undefined), next: listed.nextCursor };
      });
      if (!page.ok) {
        yield page;
        return;
      }
      yield ok(page.value.docs);
      cursor = page.value.next ?? undefined;
    } while (cursor);
  }
}

/** Storage failures and corrupt objects become errors, never stack traces or half-decoded documents. */
async function guarded<T>(work: () => Promise<T>): Promise<Result<T, AppError>> {
  try {
    return ok(await work());
  } catch (e) {
    if (e instanceof ColdObjectCorrupt) return err(internal(e.message));
    return err(unavailable("Cold storage is unavailable"));
  }
}
