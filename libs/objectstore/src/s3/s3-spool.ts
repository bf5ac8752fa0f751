import { randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { type FileHandle, open, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { ok, type Result } from "@strata/errors";
import { pumpBody } from "../body-pump.js";
import { writeAll } from "../fs/object-file.js";

/**
 * A body of unknown length, held until its size and SHA-256 are known. PutObject needs the length
 * up front (and the SHA-256 goes in its headers), @aws-sdk/lib-storage is not a dependency, and a
 * part-by-part multipart upload would make the object visible only after costs we cannot undo
 * cheaply — so the body is spooled first: in memory up to `memoryBytes`, then to a temp file.
 * maxBytes is enforced while spooling, so a too-large body never reaches S3 at all.
 */
export interface SpooledBody {
  readonly size: number;
  readonly sha256: string;
  /** A fresh reader of the spooled bytes. */
  content(): Buffer | Readable;
  dispose(): Promise<void>;
}

export interface SpoolOptions {
  readonly maxBytes: number;
  readonly memoryBytes: number;
  readonly dir: string;
}

export async function spoolBody(
  body: Readable,
  options: SpoolOptions,
): Promise<Result<SpooledBody, "too_large">> {
  let chunks: Uint8Array[] = [];
  let held = 0;
  let file: { path: string; handle: FileHandle } | undefined;
  const cleanup = async (): Promise<void> => {
    if (file === undefined) return;
    await file.handle.close().catch(() => undefined);
    await rm(file.path, { force: true });
  };
  try {
    const pumped = await pumpBody(body, options.maxBytes, async (chunk) => {
      if (file === undefined && held + chunk.byteLength <= options.memoryBytes) {
        chunks.push(chunk);
        held += chunk.byteLength;
        return;
      }
      if (file === undefined) {
        const path = join(options.dir, `strata-spool-${randomUUID()}`);
        file = { path, handle: await open(path, "wx", 0o600) };
        for (const piece of chunks) await writeAll(file.handle, piece);
        chunks = [];
      }
      await writeAll(file.handle, chunk);
    });
    if (!pumped.ok) {
      await cleanup();
      return pumped;
    }
    const { size, sha256 } = pumped.value;
    if (file === undefined) {
      const bytes = Buffer.concat(chunks);
      return ok({ size, sha256, content: () => bytes, dispose: async () => {} });
    }
    const { path, handle } = file;
    await handle.close();
    return ok({
      size,
      sha256,
      content: () => createReadStream(path),
      dispose: () => rm(path, { force: true }),
    });
  } catch (error: unknown) {
    await cleanup();
    throw error;
  }
}
