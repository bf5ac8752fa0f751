import createClient, { type Client, type Middleware } from "openapi-fetch";
import { type BatchWait, waitForBatch } from "./batches.js";
import { type CloneWait, waitForClone } from "./clones.js";
import type { components, paths } from "./gen/openapi.js";
import {
  type Download,
  downloadObject,
  type UploadBody,
  type UploadOptions,
  uploadObject,
} from "./objects.js";
import { DEFAULT_RETRY, type RetryPolicy, retryingFetch } from "./retry.js";

export type Schemas = components["schemas"];
export type StrataApi = Client<paths>;

export interface StrataClientOptions {
  /** Where the platform listens, e.g. http://127.0.0.1:8080. */
  readonly baseUrl: string;
  /** An API key, sk_live_…, sent as `Authorization: Bearer`. */
  readonly apiKey: string;
  /** The X-Namespace (id or name) of namespace-scoped calls; a call's own header wins. */
  readonly namespace?: string;
  /** Retries of calls safe to repeat; `{ attempts: 1 }` turns them off. */
  readonly retry?: Partial<RetryPolicy>;
  /** The fetch to send with (a test's, a proxy's); the global one by default. */
  readonly fetch?: (request: Request) => Promise<Response>;
}

export interface StrataClient {
  /** The typed client generated from the OpenAPI document: `api.GET("/v1/whoami")`, … */
  readonly api: StrataApi;
  /** The same client on another namespace. */
  withNamespace(namespace: string): StrataClient;
  /** Polls GET /v1/batches/{id} until the batch is completed or failed. */
  waitForBatch(batchId: string, options?: BatchWait): Promise<Schemas["Batch"]>;
  /** Polls GET /v1/namespaces/{id}/clone-status until the clone is ready, failed or cancelled. */
  waitForClone(cloneNamespaceId: string, options?: CloneWait): Promise<Schemas["CloneStatus"]>;
  /** PUT an object from bytes or a stream; `/` in the key is sent as %2F. */
  uploadObject(
    bucket: string,
    key: string,
    body: UploadBody,
    options?: UploadOptions,
  ): Promise<Schemas["BucketObject"]>;
  /** GET an object as a stream, with its stored Content-Type, size, ETag and checksum. */
  downloadObject(bucket: string, key: string): Promise<Download>;
}

/**
 * The Strata API client: typed calls from the document (docs/openapi.json) plus what users would
 * otherwise write around them. Every POST gets an Idempotency-Key (unless the call gives one), so
 * it and every idempotent call can be retried safely on 429/503 or a lost connection.
 */
export function createStrataClient(options: StrataClientOptions): StrataClient {
  const policy = { ...DEFAULT_RETRY, ...options.retry };
  const send = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const api = createClient<paths>({ baseUrl: options.baseUrl, fetch: retryingFetch(send, policy) });
  api.use(defaultHeaders(options));
  return {
    api,
    withNamespace: (namespace) => createStrataClient({ ...options, namespace }),
    waitForBatch: (batchId, wait) => waitForBatch(api, batchId, wait),
    waitForClone: (cloneNamespaceId, wait) => waitForClone(api, cloneNamespaceId, wait),
    uploadObject: (bucket, key, body, upload) => uploadObject(api, send, bucket, key, body, upload),
    downloadObject: (bucket, key) => downloadObject(api, bucket, key),
  };
}

function defaultHeaders(options: StrataClientOptions): Middleware {
  return {
    onRequest({ request }) {
      request.headers.set("authorization", `Bearer ${options.apiKey}`);
      if (options.namespace !== undefined && !request.headers.has("x-namespace")) {
        request.headers.set("x-namespace", options.namespace);
      }
      if (request.method === "POST" && !request.headers.has("idempotency-key")) {
        request.headers.set("idempotency-key", crypto.randomUUID());
      }
      return request;
    },
  };
}
