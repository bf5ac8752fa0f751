import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type StartPlatformOptions, startPlatform } from "@strata/platform";
import { tempDir } from "@strata/testkit";

export interface ApiResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

export interface CallOptions {
  readonly key?: string;
  readonly namespace?: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export interface TestPlatform {
  readonly url: string;
  /** The metrics listener: `${metricsUrl}/metrics` and `/readyz`. */
  readonly metricsUrl: string;
  readonly dataDir: string;
  readonly adminKey: string;
  readonly organizationId: string;
  call<T = Record<string, unknown>>(
    method: string,
    path: string,
    options?: CallOptions,
  ): Promise<ApiResponse<T>>;
  stop(): Promise<void>;
}

/** The settings of an in-process test platform on embedded defaults, with its data in `dataDir`. */
export function testPlatformEnv(dataDir: string): Record<string, string> {
  return {
    STRATA_DATA_DIR: dataDir,
    STRATA_HTTP_PORT: "0",
    STRATA_METRICS_PORT: "0",
    // With NATS_URL set the platform takes the distributed defaults (50051-50053); test files run
    // in parallel, so every in-process gRPC server takes a free port instead.
    AUTH_GRPC_PORT: "0",
    NAMESPACE_GRPC_PORT: "0",
    ACL_QUERY_GRPC_PORT: "0",
    WEBHOOK_GRPC_PORT: "0",
    TIER_MIGRATOR_GRPC_PORT: "0",
    MANIFEST_GRPC_PORT: "0",
    LOG_LEVEL: "warn",
  };
}

/** Starts the whole platform in-process on embedded defaults, the way `npm start` does. */
export async function startTestPlatform(
  env: Record<string, string> = {},
  options: Pick<StartPlatformOptions, "beforeCloneCommit"> = {},
): Promise<TestPlatform> {
  const dir = await tempDir("strata-e2e-");
  const platform = await startPlatform({ ...testPlatformEnv(dir.path), ...env }, options);
  const url = platform.gatewayUrl;
  if (url === undefined) throw new Error("the platform started no gateway");
  const bootstrap = JSON.parse(await readFile(join(dir.path, "bootstrap.json"), "utf8")) as {
    organization_id: string;
    api_key: string;
  };
  return {
    url,
    metricsUrl: platform.metricsUrl,
    dataDir: dir.path,
    adminKey: bootstrap.api_key,
    organizationId: bootstrap.organization_id,
    call: (method, path, options = {}) => callApi(url, method, path, { key: bootstrap.api_key, ...options }),
    async stop() {
      await platform.stop();
      await dir.remove();
    },
  };
}

export async function callApi<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
  if (options.namespace !== undefined) headers["x-namespace"] = options.namespace;
  if (options.body !== undefined) headers["content-type"] ??= "application/json";
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(options.body === undefined
      ? {}
      : { body: typeof options.body === "string" ? options.body : JSON.stringify(options.body) }),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON (e.g. /metrics); the text is the body.
  }
  return { status: response.status, body: body as T, headers: response.headers };
}

/** Polls `probe` until it returns true; answers how long that took, or throws after `timeoutMs`. */
export async function waitUntil(
  probe: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 25,
): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (await probe()) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

/** The REST error body of DESIGN §5. */
export function expectErrorBody(
  response: ApiResponse,
  status: number,
  type: string,
): { message: string; details: unknown } {
  const body = response.body as {
    success?: unknown;
    status?: unknown;
    error?: { type?: unknown; message?: unknown; details?: unknown };
    request_id?: unknown;
  };
  if (response.status !== status) {
    throw new Error(`expected ${status} ${type}, got ${response.status} ${JSON.stringify(body)}`);
  }
  if (body.success !== false || body.status !== status || body.error?.type !== type) {
    throw new Error(`not the documented error body for ${status} ${type}: ${JSON.stringify(body)}`);
  }
  if (typeof body.request_id !== "string" || body.request_id !== response.headers.get("x-request-id")) {
    throw new Error(`request_id missing or not equal to X-Request-Id: ${JSON.stringify(body)}`);
  }
  return { message: String(body.error.message), details: body.error.details };
}
