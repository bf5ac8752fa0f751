import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { afterEach, beforeEach } from "vitest";
import type { ObjectStore } from "../port.js";

export interface ContractContext {
  /** The store opened for the current test. */
  store(): ObjectStore;
  /** A fresh key prefix (`t<hex>/`), so tests never see each other's objects on a shared store. */
  prefix(): string;
}

export function useStore(
  open: () => Promise<ObjectStore>,
  close: (store: ObjectStore) => Promise<void>,
): ContractContext {
  let current: ObjectStore | undefined;
  let currentPrefix = "";
  beforeEach(async () => {
    current = await open();
    currentPrefix = `t${randomBytes(6).toString("hex")}/`;
  });
  afterEach(async () => {
    if (current) await close(current);
    current = undefined;
  });
  return {
    store() {
      if (!current) throw new Error("contract: no store open");
      return current;
    },
    prefix: () => currentPrefix,
  };
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** A Readable of `total` pseudo-random bytes in uneven chunks, with no known length. */
export function chunkedStream(bytes: Uint8Array, chunkSize = 65_521): Readable {
  return Readable.from(
    (function* () {
      for (let offset = 0; offset < bytes.byteLength; offset += chunkSize) {
        yield Buffer.from(bytes.subarray(offset, offset + chunkSize));
      }
    })(),
  );
}

export async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

export function bytesOf(text: string): Uint8Array {
  return Buffer.from(text, "utf8");
}
