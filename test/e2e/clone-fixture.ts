import { spawn } from "node:child_process";
import { join } from "node:path";
import { type TempDir, tempDir } from "@strata/testkit";
import { expect } from "vitest";
import { holdWhileFileExists } from "./clone-hold.js";
import { type ApiResponse, startTestPlatform, type TestPlatform, waitUntil } from "./harness.js";

// Namespace clones through the gateway (issue 12, ADR 0024/0028), on the platform as `npm start`
// runs it: what clone-copy.test.ts and clone-refusals-and-cli.test.ts share. A clone is held open
// before its commit by the platform's beforeCloneCommit (while the hold file exists the copy
// waits), so its 409s, progress and cancel are watched without racing a timer.

export const URI = "strata://test@v1/embedding";
export const SOURCE = "clone-source";

export type CloneStatus = {
  task_id: string;
  namespace_id: string;
  source_namespace_id: string | null;
  status: string;
  progress: Record<string, number>;
  reason: string | null;
};
type Accepted = {
  namespace: { namespace_id: string; namespace_name: string; description: string };
  source_namespace_id: string;
  status: string;
  task_id: string;
};
export type Execution = {
  results: Array<{ document_id: string; score: number; metadata: Record<string, unknown> }>;
};

export const ITEMS: Array<[string, number[], string]> = [
  ["near", [1, 0, 0], "a"],
  ["close", [1, 0.3, 0], "b"],
  ["mid", [1, 1, 0], "a"],
  ["far", [0, 0, 1], "a"],
];
export const OBJECTS: Record<string, string> = {
  "a.txt": "alpha bytes",
  "dir/b.txt": "beta, somewhat longer bytes",
};

export function expectStatus(answer: ApiResponse, status: number): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
}

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A platform whose clones the hold file holds, with SOURCE made (seed) and the calls the tests make. */
export class CloneFixture {
  private constructor(
    readonly platform: TestPlatform,
    private readonly hold: TempDir,
    /** While it exists, a clone waits before its commit. */
    readonly holdFile: string,
  ) {}

  static async start(): Promise<CloneFixture> {
    const hold = await tempDir("clone-hold-");
    const holdFile = join(hold.path, "hold");
    const platform = await startTestPlatform({}, { beforeCloneCommit: holdWhileFileExists(holdFile) });
    return new CloneFixture(platform, hold, holdFile);
  }

  async stop(): Promise<void> {
    await this.platform.stop();
    await this.hold.remove();
  }

  call<T = Record<string, unknown>>(method: string, path: string, namespace?: string, body?: unknown) {
    return this.platform.call<T>(method, path, {
      ...(namespace === undefined ? {} : { namespace }),
      ...(body === undefined ? {} : { body }),
    });
  }

  /** SOURCE: a collection of ITEMS, a taxonomy and a bucket of OBJECTS. */
  async seed(): Promise<void> {
    expectStatus(
      await this.call("POST", "/v1/namespaces", undefined, { namespace_name: SOURCE, description: "src" }),
      201,
    );
    expectStatus(
      await this.call("POST", "/v1/collections", SOURCE, {
        collection_name: "items",
        features: [{ feature_uri: URI, dimensions: 3, metric: "cosine" }],
        indexed_fields: ["category"],
      }),
      201,
    );
    for (const [id, vector, category] of ITEMS) {
      expectStatus(
        await this.call("POST", "/v1/collections/items/documents", SOURCE, {
          document_id: id,
          metadata: { category },
          features: { [URI]: vector },
        }),
        201,
      );
    }
    expectStatus(
      await this.call("POST", "/v1/taxonomies", SOURCE, {
        taxonomy_name: "genres",
        nodes: [{ label: "music" }, { label: "jazz", parent: "music" }],
      }),
      201,
    );
    expectStatus(await this.call("POST", "/v1/buckets", SOURCE, { bucket_name: "raw" }), 201);
    for (const [key, text] of Object.entries(OBJECTS)) await this.upload(SOURCE, key, text);
  }

  /** The copy test's writes on SOURCE after its clone: one document more, its taxonomy deleted. */
  async changeSource(): Promise<void> {
    expectStatus(
      await this.call("POST", "/v1/collections/items/documents", SOURCE, {
        document_id: "source-only",
        metadata: { category: "a" },
        features: { [URI]: [1, 0.1, 0] },
      }),
      201,
    );
    expectStatus(await this.call("DELETE", "/v1/taxonomies/genres", SOURCE), 200);
  }

  async upload(namespace: string, key: string, text: string): Promise<void> {
    const answer = await this.platform.call("PUT", `/v1/buckets/raw/objects/${encodeURIComponent(key)}`, {
      namespace,
      body: text,
      headers: { "content-type": "text/plain" },
    });
    expectStatus(answer, 200);
  }

  async download(namespace: string, key: string): Promise<{ status: number; text: string }> {
    const response = await fetch(`${this.platform.url}/v1/buckets/raw/objects/${encodeURIComponent(key)}`, {
      headers: { authorization: `Bearer ${this.platform.adminKey}`, "x-namespace": namespace },
    });
    return { status: response.status, text: await response.text() };
  }

  async startClone(name: string, extra: Record<string, unknown> = {}): Promise<Accepted> {
    const answer = await this.call<Accepted>("POST", `/v1/namespaces/${SOURCE}/clone`, undefined, {
      namespace_name: name,
      ...extra,
    });
    expectStatus(answer, 202);
    return answer.body;
  }

  cloneStatus(namespaceId: string) {
    return this.call<CloneStatus>("GET", `/v1/namespaces/${namespaceId}/clone-status`);
  }

  async waitForClone(namespaceId: string, done: (s: CloneStatus) => boolean): Promise<CloneStatus> {
    let last: CloneStatus | undefined;
    await waitUntil(async () => {
      const answer = await this.cloneStatus(namespaceId);
      expectStatus(answer, 200);
      last = answer.body;
      return done(last);
    }, 30_000);
    if (last === undefined) throw new Error("no clone status");
    return last;
  }

  /** The nearest documents to [1,0,0] in `namespace`, by a retriever created there for the probe. */
  async search(namespace: string, retrieverName: string): Promise<Execution["results"]> {
    const created = await this.call("POST", "/v1/retrievers", namespace, {
      retriever_name: retrieverName,
      collection_ids: ["items"],
      feature_uri: URI,
      top_k: 10,
    });
    expectStatus(created, 201);
    const found = await this.call<Execution>("POST", `/v1/retrievers/${retrieverName}/execute`, namespace, {
      query: { vector: [1, 0, 0] },
    });
    expectStatus(found, 200);
    return found.body.results;
  }

  /** The `strata` CLI as people run it, a child process; `onStdout` sees its output as it comes. */
  strata(args: readonly string[], onStdout: (text: string) => void = () => undefined): Promise<CliRun> {
    const child = spawn(process.execPath, ["libs/cli/bin/strata.mjs", ...args], {
      cwd: join(import.meta.dirname, "../.."),
      env: {
        ...process.env,
        STRATA_URL: this.platform.url,
        STRATA_API_KEY: this.platform.adminKey,
        NO_COLOR: "",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      onStdout(stdout);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    return new Promise((resolve) => child.once("close", (code) => resolve({ code, stdout, stderr })));
  }
}
