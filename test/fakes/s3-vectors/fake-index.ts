import { conflict, notFound, validation } from "./fake-errors.js";
import { checkFilter, matchesFilter } from "./fake-filter.js";

/** AWS's documented limits (userguide/s3-vectors-limitations), enforced like the service does. */
export const LIMITS = {
  putVectors: 500,
  deleteVectors: 500,
  getVectors: 100,
  listVectors: 1000,
  keyLength: 1024,
  dimensions: 4096,
  filterableMetadataBytes: 2048,
  totalMetadataBytes: 40 * 1024,
  metadataKeys: 50,
  nonFilterableKeys: 10,
} as const;

const INDEX_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export interface StoredVector {
  readonly data: Float32Array;
  readonly metadata: Record<string, unknown>;
}

export class FakeIndex {
  readonly vectors = new Map<string, StoredVector>();
  readonly creationTime = Date.now() / 1000;
  tags: Record<string, string> = {};

  constructor(
    readonly bucket: string,
    readonly name: string,
    readonly dimension: number,
    readonly metric: "cosine" | "euclidean",
    readonly nonFilterable: ReadonlySet<string>,
  ) {}

  get arn(): string {
    return `arn:aws:s3vectors:us-east-1:000000000000:bucket/${this.bucket}/index/${this.name}`;
  }

  put(vectors: readonly { key?: unknown; data?: { float32?: unknown }; metadata?: unknown }[]): void {
    if (!Array.isArray(vectors) || vectors.length < 1 || vectors.length > LIMITS.putVectors) {
      throw validation(`vectors must hold 1 to ${LIMITS.putVectors} vectors`, "vectors");
    }
    const checked = vectors.map((v, i) => this.checkVector(v, `vectors[${i}]`));
    for (const [key, stored] of checked) this.vectors.set(key, stored);
  }

  query(body: Record<string, unknown>, maxTopK: number, pageSize: number): Record<string, unknown> {
    const topK = body.topK;
    if (typeof topK !== "number" || !Number.isInteger(topK) || topK < 1 || topK > maxTopK) {
      throw validation(`topK must be between 1 and ${maxTopK}`, "topK");
    }
    const query = this.checkData(
      (body.queryVector as { float32?: unknown } | undefined)?.float32,
      "queryVector",
    );
    if (body.filter !== undefined) checkFilter(body.filter, this.nonFilterable);
    const filter = body.filter as Record<string, unknown> | undefined;
    const ranked = [...this.vectors.entries()]
      .filter(([, v]) => !filter || matchesFilter(filter, v.metadata))
      .map(([key, v]) => ({ key, v, distance: this.distance(query, v.data) }))
      .sort((a, b) => a.distance - b.distance || (a.key < b.key ? -1 : 1))
      .slice(0, topK);
    const offset = typeof body.nextToken === "string" ? Number(body.nextToken) : 0;
    const page = ranked.slice(offset, offset + pageSize);
    return {
      distanceMetric: this.metric,
      vectors: page.map(({ key, v, distance }) => ({
        key,
        ...(body.returnDistance ? { distance } : {}),
        ...(body.returnMetadata ? { metadata: v.metadata } : {}),
      })),
      ...(offset + pageSize < ranked.length ? { nextToken: String(offset + pageSize) } : {}),
    };
  }

  /** Cosine distance 1 − cos; euclidean the L2 distance (not squared). Float64 over the float32 data. */
  private distance(a: Float32Array, b: Float32Array): number {
    let dot = 0;
    let aa = 0;
    let bb = 0;
    let sq = 0;
    for (let i = 0; i < a.length; i++) {
      const x = a[i] as number;
      const y = b[i] as number;
      dot += x * y;
      aa += x * x;
      bb += y * y;
      sq += (x - y) * (x - y);
    }
    if (this.metric === "euclidean") return Math.sqrt(sq);
    const denominator = Math.sqrt(aa) * Math.sqrt(bb);
    return 1 - (denominator === 0 ? 0 : dot / denominator);
  }

  private checkVector(
    v: { key?: unknown; data?: { float32?: unknown }; metadata?: unknown },
    path: string,
  ): [string, StoredVector] {
    if (typeof v.key !== "string" || v.key.length < 1 || v.key.length > LIMITS.keyLength) {
      throw validation(`key must be 1 to ${LIMITS.keyLength} characters`, `${path}.key`);
    }
    const data = this.checkData(v.data?.float32, `${path}.data`);
    const metadata = (v.metadata ?? {}) as Record<string, unknown>;
    if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) {
      throw validation("metadata must be an object", `${path}.metadata`);
    }
    const keys = Object.keys(metadata);
    if (keys.length > LIMITS.metadataKeys)
      throw validation(`At most ${LIMITS.metadataKeys} metadata keys`, `${path}.metadata`);
    if (Buffer.byteLength(JSON.stringify(metadata)) > LIMITS.totalMetadataBytes) {
      throw validation("Metadata exceeds 40 KB", `${path}.metadata`);
    }
    const filterable = Object.fromEntries(
      Object.entries(metadata).filter(([k]) => !this.nonFilterable.has(k)),
    );
    if (Buffer.byteLength(JSON.stringify(filterable)) > LIMITS.filterableMetadataBytes) {
      throw validation("Filterable metadata exceeds 2 KB", `${path}.metadata`);
    }
    return [v.key, { data, metadata }];
  }

  private checkData(values: unknown, path: string): Float32Array {
    if (!Array.isArray(values)) throw validation("Vector data must be float32", path);
    if (values.length !== this.dimension) {
      throw validation(`Invalid vector dimension ${values.length}, expected ${this.dimension}`, path);
    }
    if (!values.every((x) => typeof x === "number" && Number.isFinite(x))) {
      throw validation("Vector data must be finite float32 numbers", path);
    }
    return Float32Array.from(values as number[]);
  }
}

export class FakeBucket {
  readonly indexes = new Map<string, FakeIndex>();
  constructor(readonly name: string) {}

  create(body: Record<string, unknown>): FakeIndex {
    const name = body.indexName;
    if (typeof name !== "string" || !INDEX_NAME.test(name)) {
      throw validation(
        "Index names are 3 to 63 of [a-z0-9.-], starting and ending alphanumeric",
        "indexName",
      );
    }
    if (body.dataType !== "float32") throw validation("dataType must be float32", "dataType");
    const dimension = body.dimension;
    if (
      typeof dimension !== "number" ||
      !Number.isInteger(dimension) ||
      dimension < 1 ||
      dimension > LIMITS.dimensions
    ) {
      throw validation(`dimension must be 1 to ${LIMITS.dimensions}`, "dimension");
    }
    if (body.distanceMetric !== "cosine" && body.distanceMetric !== "euclidean") {
      throw validation("distanceMetric must be cosine or euclidean", "distanceMetric");
    }
    const nonFilterable =
      (body.metadataConfiguration as { nonFilterableMetadataKeys?: string[] } | undefined)
        ?.nonFilterableMetadataKeys ?? [];
    if (nonFilterable.length > LIMITS.nonFilterableKeys) {
      throw validation(
        `At most ${LIMITS.nonFilterableKeys} non-filterable metadata keys`,
        "metadataConfiguration",
      );
    }
    if (this.indexes.has(name)) throw conflict(`Index ${name} already exists`);
    const index = new FakeIndex(this.name, name, dimension, body.distanceMetric, new Set(nonFilterable));
    index.tags = (body.tags as Record<string, string> | undefined) ?? {};
    this.indexes.set(name, index);
    return index;
  }

  index(name: unknown): FakeIndex {
    const index = typeof name === "string" ? this.indexes.get(name) : undefined;
    if (!index) throw notFound(`Index ${String(name)} does not exist`);
    return index;
  }
}
