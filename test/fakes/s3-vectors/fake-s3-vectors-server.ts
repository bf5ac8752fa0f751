import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FakeAwsError, notFound, validation } from "./fake-errors.js";
import { FakeBucket, type FakeIndex, LIMITS } from "./fake-index.js";

export interface FakeS3VectorsOptions {
  /** Largest topK a QueryVectors accepts (AWS documented 100 until June 2026, 10,000 since). */
  readonly maxTopK?: number;
  /** Results per QueryVectors page (a nextToken follows when more remain). */
  readonly queryPageSize?: number;
}

export interface FakeS3Vectors {
  /** `http://127.0.0.1:<port>`: the SDK's `endpoint` (any credentials; signatures are not checked). */
  readonly endpoint: string;
  /** Every request: its operation and JSON body (tests check batch sizes and topK). */
  readonly requests: { operation: string; body: Record<string, unknown> }[];
  createBucket(name: string): void;
  close(): Promise<void>;
}

/**
 * A wire-compatible fake of Amazon S3 Vectors for tests (never used by production code): REST-JSON
 * as @aws-sdk/client-s3vectors speaks it (`POST /PutVectors` …, errors typed by `x-amzn-errortype`),
 * AWS's documented limits and errors, its filter language, and exact brute-force search returning
 * distances (so an adapter's answers can be compared with a brute-force reference).
 */
export async function startFakeS3Vectors(options: FakeS3VectorsOptions = {}): Promise<FakeS3Vectors> {
  const maxTopK = options.maxTopK ?? 100;
  const pageSize = options.queryPageSize ?? maxTopK;
  const buckets = new Map<string, FakeBucket>();
  const requests: { operation: string; body: Record<string, unknown> }[] = [];

  const bucketOf = (body: Record<string, unknown>): FakeBucket => {
    const bucket = typeof body.vectorBucketName === "string" ? buckets.get(body.vectorBucketName) : undefined;
    if (!bucket) throw notFound(`Vector bucket ${String(body.vectorBucketName)} does not exist`);
    return bucket;
  };
  const indexOf = (body: Record<string, unknown>): FakeIndex => bucketOf(body).index(body.indexName);
  const indexByArn = (arn: string): FakeIndex => {
    for (const bucket of buckets.values())
      for (const index of bucket.indexes.values()) if (index.arn === arn) return index;
    throw notFound(`No resource ${arn}`);
  };
  const keysOf = (body: Record<string, unknown>, limit: number): string[] => {
    const keys = body.keys;
    if (!Array.isArray(keys) || keys.length < 1 || keys.length > limit) {
      throw validation(`keys must hold 1 to ${limit} keys`, "keys");
    }
    return keys as string[];
  };

  const operations: Record<string, (body: Record<string, unknown>) => Record<string, unknown>> = {
    CreateVectorBucket: (body) => {
      const name = String(body.vectorBucketName);
      if (!buckets.has(name)) buckets.set(name, new FakeBucket(name));
      return { vectorBucketArn: `arn:aws:s3vectors:us-east-1:000000000000:bucket/${name}` };
    },
    CreateIndex: (body) => ({ indexArn: bucketOf(body).create(body).arn }),
    GetIndex: (body) => {
      const index = indexOf(body);
      return {
        index: {
          vectorBucketName: index.bucket,
          indexName: index.name,
          indexArn: index.arn,
          creationTime: index.creationTime,
          dataType: "float32",
          dimension: index.dimension,
          distanceMetric: index.metric,
          metadataConfiguration: { nonFilterableMetadataKeys: [...index.nonFilterable] },
        },
      };
    },
    DeleteIndex: (body) => {
      const bucket = bucketOf(body);
      bucket.index(body.indexName);
      bucket.indexes.delete(String(body.indexName));
      return {};
    },
    ListIndexes: (body) => {
      const prefix = typeof body.prefix === "string" ? body.prefix : "";
      const max = typeof body.maxResults === "number" ? Math.min(body.maxResults, 500) : 500;
      const names = [...bucketOf(body).indexes.values()]
        .filter((i) => i.name.startsWith(prefix))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      const offset = typeof body.nextToken === "string" ? Number(body.nextToken) : 0;
      const page = names.slice(offset, offset + max);
      return {
        indexes: page.map((i) => ({
          vectorBucketName: i.bucket,
          indexName: i.name,
          indexArn: i.arn,
          creationTime: i.creationTime,
        })),
        ...(offset + max < names.length ? { nextToken: String(offset + max) } : {}),
      };
    },
    PutVectors: (body) => {
      indexOf(body).put(body.vectors as never);
      return {};
    },
    GetVectors: (body) => {
      const index = indexOf(body);
      const keys = keysOf(body, LIMITS.getVectors);
      return {
        vectors: keys.flatMap((key) => {
          const v = index.vectors.get(key);
          if (!v) return [];
          return [
            {
              key,
              ...(body.returnData ? { data: { float32: Array.from(v.data) } } : {}),
              ...(body.returnMetadata ? { metadata: v.metadata } : {}),
            },
          ];
        }),
      };
    },
    DeleteVectors: (body) => {
      const index = indexOf(body);
      for (const key of keysOf(body, LIMITS.deleteVectors)) index.vectors.delete(key);
      return {};
    },
    ListVectors: (body) => {
      const index = indexOf(body);
      const max = typeof body.maxResults === "number" ? body.maxResults : LIMITS.listVectors;
      if (max < 1 || max > LIMITS.listVectors)
        throw validation(`maxResults must be 1 to ${LIMITS.listVectors}`, "maxResults");
      const keys = [...index.vectors.keys()].sort();
      const offset = typeof body.nextToken === "string" ? Number(body.nextToken) : 0;
      const page = keys.slice(offset, offset + max);
      return {
        vectors: page.map((key) => {
          const v = index.vectors.get(key);
          return {
            key,
            ...(body.returnData && v ? { data: { float32: Array.from(v.data) } } : {}),
            ...(body.returnMetadata && v ? { metadata: v.metadata } : {}),
          };
        }),
        ...(offset + max < keys.length ? { nextToken: String(offset + max) } : {}),
      };
    },
    QueryVectors: (body) => indexOf(body).query(body, maxTopK, pageSize),
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    try {
      const url = new URL(req.url ?? "/", "http://fake");
      const body = text.length > 0 ? (JSON.parse(text) as Record<string, unknown>) : {};
      if (url.pathname.startsWith("/tags/")) {
        const index = indexByArn(decodeURIComponent(url.pathname.slice("/tags/".length)));
        return send(res, 200, { tags: index.tags });
      }
      const operation = url.pathname.slice(1);
      const run = req.method === "POST" ? operations[operation] : undefined;
      if (!run)
        throw new FakeAwsError(
          "UnknownOperationException",
          404,
          `Unknown operation ${req.method} ${url.pathname}`,
        );
      requests.push({ operation, body });
      send(res, 200, run(body));
    } catch (e) {
      const error =
        e instanceof FakeAwsError ? e : new FakeAwsError("ValidationException", 400, "Malformed request");
      res.setHeader("x-amzn-errortype", error.type);
      send(res, error.status, {
        __type: error.type,
        message: error.message,
        ...(error.fieldList ? { fieldList: error.fieldList } : {}),
      });
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    createBucket: (name) => {
      buckets.set(name, new FakeBucket(name));
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(json) });
  res.end(json);
}
