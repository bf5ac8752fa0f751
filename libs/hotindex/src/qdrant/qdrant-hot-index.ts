import type { Schemas } from "@qdrant/js-client-rest";
import { QdrantClient } from "@qdrant/js-client-rest";
import type { AppError, Result } from "@strata/errors";
import { err, ok, unavailable } from "@strata/errors";
import type { BoundFilterNode } from "@strata/filter";
import { toQdrantFilter } from "@strata/filter";
import type {
  DocRef,
  Hit,
  HotIndex,
  HotIndexStats,
  HotRecord,
  HotSearch,
  HotSpace,
  Metric,
  StoredVector,
} from "../port.js";
import { euclideanDistanceForScore, euclideanScore, norm } from "../scoring.js";
import { sameSpace, spaceKey } from "../space-key.js";
import { validateRecords, validateSearch, validateSpace } from "../validate.js";
import { qdrantCollectionName, qdrantPointId } from "./qdrant-naming.js";

export interface QdrantHotIndexOptions {
  readonly url: string;
  readonly apiKey?: string;
  /** Prefix of the Qdrant collections this index manages (default "strata_hot"). */
  readonly collectionPrefix?: string;
}

/** Payload keys the adapter owns; the caller's payload lives under `doc`, so filters get `doc.` prepended. */
const NS = "strata_namespace";
const COLLECTION = "strata_collection";
const ID = "strata_id";
const NORM = "strata_norm";
const DOC = "doc";
const UPSERT_BATCH = 256;

type Filter = Schemas["Filter"];
type Condition = Schemas["Condition"];

/**
 * The hot index on Qdrant (distributed mode). Cosine vectors are normalised by Qdrant on write, so
 * the original norm is kept in the payload and `get` gives the vector back as written. Euclidean
 * scores come back as distances and are mapped to `1 / (1 + d)` like every other tier.
 */
export function openQdrantHotIndex(options: QdrantHotIndexOptions): HotIndex {
  const client = new QdrantClient({
    url: options.url,
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    checkCompatibility: false,
  });
  const prefix = options.collectionPrefix ?? "strata_hot";
  const ready = new Map<string, Promise<void>>();
  const known = new Map<string, HotSpace>();

  const createCollection = async (name: string, space: HotSpace): Promise<void> => {
    if (!(await client.collectionExists(name)).exists) {
      try {
        await client.createCollection(name, {
          vectors: { size: space.dimensions, distance: distanceOf(space.metric) },
          // Every query is filtered by namespace: per-tenant graphs instead of one global graph.
          hnsw_config: { m: 0, payload_m: 16 },
        });
      } catch (error) {
        // Another writer may have created it between the check and the call.
        if (!(await client.collectionExists(name)).exists) throw error;
      }
    }
    await client.createPayloadIndex(name, {
      field_name: NS,
      field_schema: { type: "keyword", is_tenant: true },
      wait: true,
    });
    await client.createPayloadIndex(name, { field_name: COLLECTION, field_schema: "keyword", wait: true });
    await client.createPayloadIndex(name, { field_name: ID, field_schema: "keyword", wait: true });
  };

  const ensure = (space: HotSpace): Promise<string> => {
    const name = qdrantCollectionName(prefix, space);
    known.set(spaceKey(space), space);
    let p = ready.get(name);
    if (!p) {
      p = createCollection(name, space);
      ready.set(name, p);
      p.catch(() => ready.delete(name));
    }
    return p.then(() => name);
  };

  const run = async <T>(
    space: HotSpace,
    work: (name: string) => Promise<T>,
  ): Promise<Result<T, AppError>> => {
    const valid = validateSpace(space);
    if (!valid.ok) return valid;
    try {
      return ok(await work(await ensure(space)));
    } catch (error) {
      return err(
        unavailable(`Qdrant request failed: ${error instanceof Error ? error.message : String(error)}`),
      );
    }
  };

  const scope = (space: HotSpace, collectionIds?: readonly string[]): Condition[] => [
    { key: NS, match: { value: space.namespaceId } },
    ...(collectionIds ? [{ key: COLLECTION, match: { any: [...collectionIds] } }] : []),
  ];

  const translate = (filter: BoundFilterNode | undefined): Result<Filter | undefined, AppError> =>
    filter ? toQdrantFilter(filter, { fieldPrefix: `${DOC}.` }) : ok(undefined);

  const existing = async (name: string, space: HotSpace, refs: readonly DocRef[]) =>
    refs.length === 0
      ? []
      : client.retrieve(name, {
          ids: refs.map((r) => qdrantPointId(space.namespaceId, r.collectionId, r.id)),
          with_payload: true,
          with_vector: false,
        });

  const upsert = async (space: HotSpace, records: readonly HotRecord[]) => {
    const valid = validateSpace(space);
    if (!valid.ok) return valid;
    const checked = validateRecords(space, records);
    if (!checked.ok) return checked;
    return run(space, async (name) => {
      for (let i = 0; i < records.length; i += UPSERT_BATCH) {
        const points = records.slice(i, i + UPSERT_BATCH).map((r) => ({
          id: qdrantPointId(space.namespaceId, r.collectionId, r.id),
          vector: Array.from(r.vector),
          payload: {
            [NS]: space.namespaceId,
            [COLLECTION]: r.collectionId,
            [ID]: r.id,
            [NORM]: norm(r.vector),
            [DOC]: r.payload,
          },
        }));
        await client.upsert(name, { wait: true, points });
      }
    });
  };

  return {
    ensureSpace: (space) => run(space, async () => undefined),
    upsert,
    // No log of ours to stage in: the records are written at once (durable and visible), commit and
    // abort do nothing, and nothing is ever in doubt. ADR 0013 says what that guarantees.
    stage: (space, _writeId, records) => upsert(space, records),
    commit: async () => ok(undefined),
    abort: async () => ok(undefined),
    staged: async () => ok([]),
    delete: (space, refs) =>
      run(space, async (name) => {
        const found = await existing(name, space, refs);
        if (found.length > 0) await client.delete(name, { wait: true, points: found.map((p) => p.id) });
        return found.length;
      }),
    deleteWhere: (space, where) =>
      run(space, async (name) => {
        const filter: Filter = { must: scope(space, [where.collectionId]) };
        const { count } = await client.count(name, { filter, exact: true });
        if (count > 0) await client.delete(name, { wait: true, filter });
        return count;
      }),
    // A space's points share a Qdrant collection with every other namespace's: a copy needs new
    // point ids and payloads, i.e. an upsert of each point, which the caller's record copy is (ADR 0037).
    copySpace: async () => ok("unsupported" as const),
    async dropNamespace(namespaceId: string) {
      try {
        const { collections } = await client.getCollections();
        for (const c of collections) {
          if (!c.name.startsWith(`${prefix}_`)) continue;
          await client.delete(c.name, {
            wait: true,
            filter: { must: [{ key: NS, match: { value: namespaceId } }] },
          });
        }
        for (const [key, space] of known) if (space.namespaceId === namespaceId) known.delete(key);
        return ok(undefined);
      } catch (error) {
        return err(
          unavailable(`Qdrant request failed: ${error instanceof Error ? error.message : String(error)}`),
        );
      }
    },
    async search(space: HotSpace, query: HotSearch) {
      const valid = validateSpace(space);
      if (!valid.ok) return valid;
      const checked = validateSearch(space, query);
      if (!checked.ok) return checked;
      const user = translate(query.filter);
      if (!user.ok) return user;
      if (query.collectionIds?.length === 0) return ok([]);
      return run(space, async (name) => {
        const threshold = scoreThresholdFor(space.metric, query.scoreThreshold);
        const response = await client.query(name, {
          query: Array.from(query.vector),
          filter: { must: [...scope(space, query.collectionIds), ...(user.value ? [user.value] : [])] },
          limit: query.k,
          with_payload: true,
          ...(threshold === undefined ? {} : { score_threshold: threshold }),
        });
        const hits = response.points.map((p): Hit => {
          const payload = (p.payload ?? {}) as Record<string, unknown>;
          return {
            id: String(payload[ID]),
            collectionId: String(payload[COLLECTION]),
            score: space.metric === "euclidean" ? euclideanScore(p.score) : p.score,
            payload: (payload[DOC] ?? {}) as Record<string, unknown>,
          };
        });
        // Qdrant compares in float32 and, for euclid, in distance units: apply the exact bound here too.
        const min = query.scoreThreshold;
        return min === undefined ? hits : hits.filter((h) => h.score >= min);
      });
    },
    get: (space: HotSpace, refs: readonly DocRef[]): Promise<Result<StoredVector[], AppError>> =>
      run(space, async (name) => {
        if (refs.length === 0) return [];
        const points = await client.retrieve(name, {
          ids: refs.map((r) => qdrantPointId(space.namespaceId, r.collectionId, r.id)),
          with_payload: true,
          with_vector: true,
        });
        const byId = new Map(points.map((p) => [String(p.id), p]));
        const out: StoredVector[] = [];
        for (const r of refs) {
          const p = byId.get(qdrantPointId(space.namespaceId, r.collectionId, r.id));
          const payload = (p?.payload ?? {}) as Record<string, unknown>;
          if (!p || !Array.isArray(p.vector) || payload[NS] !== space.namespaceId) continue;
          const scale = space.metric === "cosine" && typeof payload[NORM] === "number" ? payload[NORM] : 1;
          const vector = Float32Array.from(p.vector as number[], (x) => x * scale);
          out.push({
            id: r.id,
            collectionId: r.collectionId,
            vector,
            payload: (payload[DOC] ?? {}) as Record<string, unknown>,
          });
        }
        return out;
      }),
    async count(space: HotSpace, filter?: BoundFilterNode, collectionIds?: readonly string[]) {
      const user = translate(filter);
      if (!user.ok) return user;
      if (collectionIds?.length === 0) return ok(0);
      return run(space, async (name) => {
        const must = [...scope(space, collectionIds), ...(user.value ? [user.value] : [])];
        return (await client.count(name, { filter: { must }, exact: true })).count;
      });
    },
    async stats(only?: HotSpace): Promise<Result<HotIndexStats, AppError>> {
      const spaces = [];
      for (const space of known.values()) {
        if (only !== undefined && !sameSpace(space, only)) continue;
        const counted = await this.count(space);
        if (!counted.ok) return counted;
        // Qdrant indexes in the background too, but does not report it per tenant.
        spaces.push({ space, count: counted.value, indexed: counted.value });
      }
      const vectors = spaces.reduce((n, s) => n + s.count, 0);
      const vectorBytes = spaces.reduce((n, s) => n + s.count * s.space.dimensions * 4, 0);
      return ok({ spaces, vectors, vectorBytes });
    },
    // Upserts use wait=true: they are durable (Qdrant's WAL) and searchable when they resolve.
    flush: async () => ok(undefined),
    async waitForIndexing() {
      for (const name of ready.keys()) {
        for (;;) {
          const info = await client.getCollection(name);
          if (info.status === "green") break;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    },
    close: async () => undefined,
  };
}

function distanceOf(metric: Metric): Schemas["Distance"] {
  switch (metric) {
    case "cosine":
      return "Cosine";
    case "dot":
      return "Dot";
    case "euclidean":
      return "Euclid";
  }
}

/** Qdrant reads the threshold in its own units: a minimum similarity, or a maximum euclidean distance. */
function scoreThresholdFor(metric: Metric, threshold: number | undefined): number | undefined {
  if (threshold === undefined) return undefined;
  if (metric !== "euclidean") return threshold;
  const distance = euclideanDistanceForScore(threshold);
  return Number.isFinite(distance) ? distance : undefined;
}
