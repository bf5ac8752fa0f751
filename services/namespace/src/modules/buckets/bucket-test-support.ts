// Helpers for this package's tests of buckets and objects; not exported.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { newId } from "@strata/ids";
import { openFsObjectStore } from "@strata/objectstore";
import { type TempDir, tempDir } from "@strata/testkit";
import { bucketObjects } from "../../adapters/objectstore/bucket-objects.js";
import { callerOf, testNamespaces } from "../../shared/test-support.js";
import { createNamespace } from "../namespaces/create-namespace.js";
import type { BucketPorts } from "./ports.js";
import { BUCKET_TABLE_SPECS } from "./tables.js";

export interface BucketTestData {
  readonly ports: BucketPorts;
  readonly organizationId: string;
  readonly namespaceId: string;
  readonly otherNamespaceId: string;
  readonly dir: TempDir;
  /** Every file the object store holds (bytes and temp files), relative to its root. */
  storedFiles(): Promise<string[]>;
  close(): Promise<void>;
}

/** In-memory DocStore, a real filesystem ObjectStore in a temp dir, two namespaces of one org. */
export async function bucketTestData(maxObjectBytes = 1024 * 1024): Promise<BucketTestData> {
  const base = await testNamespaces();
  for (const spec of BUCKET_TABLE_SPECS) await base.store.ensureTable(spec);
  const dir = await tempDir("namespace-buckets-");
  const objects = await openFsObjectStore({ root: dir.path });
  const ports: BucketPorts = { ...base.ports, objects: bucketObjects(objects), maxObjectBytes };
  const organizationId = newId("organization");
  const ids: string[] = [];
  for (const namespaceName of ["main", "other"]) {
    const created = await createNamespace(base.ports, callerOf(organizationId), {
      namespaceName,
      description: "",
    });
    if (!created.ok) throw new Error(created.error.message);
    ids.push(created.value.id);
  }
  const [namespaceId = "", otherNamespaceId = ""] = ids;
  return {
    ports,
    organizationId,
    namespaceId,
    otherNamespaceId,
    dir,
    storedFiles: async () => {
      const entries = await readdir(dir.path, { recursive: true, withFileTypes: true });
      return entries
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath, e.name).slice(dir.path.length + 1));
    },
    close: async () => {
      await objects.close();
      await dir.remove();
    },
  };
}

/** A body that arrives in `chunkBytes` pieces, as an upload does. */
export function chunked(bytes: Uint8Array, chunkBytes = 64 * 1024): Readable {
  return Readable.from(
    (function* () {
      for (let at = 0; at < bytes.byteLength; at += chunkBytes)
        yield Buffer.from(bytes.subarray(at, at + chunkBytes));
    })(),
  );
}

export async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
