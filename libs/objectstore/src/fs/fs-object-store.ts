import { randomUUID } from "node:crypto";
import { constants } from "node:fs";
import {
  access,
  chmod,
  copyFile,
  type FileHandle,
  mkdir,
  open,
  readdir,
  realpath,
  rm,
  stat,
  unlink,
} from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { err, ok, type Result } from "@strata/errors";
import { pumpBody } from "../body-pump.js";
import {
  assertKeyPrefix,
  assertListLimit,
  assertObjectKey,
  decodeListCursor,
  encodeListCursor,
  normalizePutOptions,
} from "../keys.js";
import type {
  ListOptions,
  ListPage,
  ObjectBody,
  ObjectInfo,
  ObjectStore,
  PutError,
  PutOptions,
} from "../port.js";
import { assertRealDir, commitFile, openObjectFile, pruneEmptyDirs } from "./fs-files.js";
import { isMissing, objectPaths, walkKeys } from "./fs-layout.js";
import { encodeTrailer, type ObjectFileInfo, readTrailer, writeAll } from "./object-file.js";

export interface FsObjectStoreOptions {
  /** Directory that holds everything; created when missing. One process should own it. */
  readonly root: string;
}

// Temp files older than this at open are leftovers of a crash, never a write in progress.
const STALE_TEMP_MS = 60 * 60 * 1000;

/**
 * Embedded ObjectStore: objects under `<root>/objects`, written to `<root>/tmp` first, fsynced,
 * then renamed into place, so a reader or a crash sees the old object or the new one, never a part.
 */
export async function openFsObjectStore(options: FsObjectStoreOptions): Promise<ObjectStore> {
  // Objects are the users' bytes: 0700 directories and 0600 files, whatever the umask. A root
  // made earlier (or by a looser umask) is tightened too.
  for (const dir of [options.root, join(options.root, "objects"), join(options.root, "tmp")]) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
  }
  const root = await realpath(options.root);
  const objectsRoot = join(root, "objects");
  const tmpDir = join(root, "tmp");
  await removeStaleTemps(tmpDir);

  const infoOf = (key: string, file: ObjectFileInfo): ObjectInfo => ({
    key,
    size: file.header.size,
    sha256: file.header.sha256,
    contentType: file.header.contentType,
    metadata: file.header.metadata,
    lastModified: file.mtime,
  });

  const headKey = async (key: string): Promise<ObjectInfo | undefined> => {
    const { dir, file } = objectPaths(objectsRoot, key);
    const handle = await openObjectFile(objectsRoot, dir, file);
    if (handle === undefined) return undefined;
    try {
      return infoOf(key, await readTrailer(handle, file));
    } finally {
      await handle.close();
    }
  };

  return {
    async put(
      key: string,
      body: Readable | Uint8Array,
      putOptions?: PutOptions,
    ): Promise<Result<ObjectInfo, PutError>> {
      const opts = normalizePutOptions(key, putOptions);
      const { dir, file } = objectPaths(objectsRoot, key);
      const tmp = join(tmpDir, `${randomUUID()}.tmp`);
      const handle = await open(tmp, "wx", 0o600);
      let handleOpen = true;
      let committed = false;
      try {
        const pumped = await pumpBody(body, opts.maxBytes, (chunk) => writeAll(handle, chunk));
        if (!pumped.ok) return pumped;
        const { size, sha256 } = pumped.value;
        if (opts.expectedSha256 !== undefined && opts.expectedSha256 !== sha256)
          return err("checksum_mismatch");
        const header = { size, sha256, contentType: opts.contentType, metadata: opts.metadata };
        await writeAll(handle, encodeTrailer(header));
        await handle.sync();
        const { mtime } = await handle.stat();
        await handle.close();
        handleOpen = false;
        await commitFile(objectsRoot, tmp, dir, file);
        committed = true;
        return ok(infoOf(key, { header, mtime }));
      } finally {
        if (handleOpen) await handle.close();
        if (!committed) await rm(tmp, { force: true });
      }
    },

    async get(key: string): Promise<Result<ObjectBody, "not_found">> {
      assertObjectKey(key);
      const { dir, file } = objectPaths(objectsRoot, key);
      const handle = await openObjectFile(objectsRoot, dir, file);
      if (handle === undefined) return err("not_found");
      let info: ObjectInfo;
      try {
        info = infoOf(key, await readTrailer(handle, file));
      } catch (error: unknown) {
        await handle.close();
        throw error;
      }
      // The open handle pins this version even if the key is replaced or deleted meanwhile.
      return ok({ info, body: bodyStream(handle, info.size) });
    },

    async head(key: string): Promise<ObjectInfo | undefined> {
      assertObjectKey(key);
      return headKey(key);
    },

    async list(prefix: string, listOptions: ListOptions): Promise<ListPage> {
      assertKeyPrefix(prefix, { allowEmpty: true });
      assertListLimit(listOptions.limit);
      const items: ObjectInfo[] = [];
      let more = false;
      for await (const key of walkKeys(objectsRoot, prefix, decodeListCursor(listOptions.cursor))) {
        const info = await headKey(key);
        if (info === undefined) continue; // deleted since the directory was read
        if (items.length === listOptions.limit) {
          more = true;
          break;
        }
        items.push(info);
      }
      const last = items.at(-1);
      return { items, nextCursor: more && last !== undefined ? encodeListCursor(last.key) : null };
    },

    async copy(fromKey: string, toKey: string): Promise<Result<ObjectInfo, "not_found">> {
      assertObjectKey(fromKey);
      assertObjectKey(toKey);
      const from = objectPaths(objectsRoot, fromKey);
      const to = objectPaths(objectsRoot, toKey);
      if (!(await assertRealDir(objectsRoot, from.dir))) return err("not_found");
      const tmp = join(tmpDir, `${randomUUID()}.tmp`);
      let committed = false;
      try {
        try {
          // copyFile opens the source once, so the copy is one whole version, header included.
          await copyFile(from.file, tmp, constants.COPYFILE_EXCL);
        } catch (error: unknown) {
          if (isMissing(error)) return err("not_found");
          throw error;
        }
        const copied = await open(tmp, "r+");
        let info: ObjectInfo;
        try {
          info = infoOf(toKey, await readTrailer(copied, tmp));
          await copied.sync();
        } finally {
          await copied.close();
        }
        await commitFile(objectsRoot, tmp, to.dir, to.file);
        committed = true;
        return ok(info);
      } finally {
        if (!committed) await rm(tmp, { force: true });
      }
    },

    async delete(key: string): Promise<boolean> {
      assertObjectKey(key);
      const { dir, file } = objectPaths(objectsRoot, key);
      if (!(await assertRealDir(objectsRoot, dir))) return false;
      const removed = await unlinkIfPresent(file);
      if (removed) await pruneEmptyDirs(objectsRoot, dir);
      return removed;
    },

    async deletePrefix(prefix: string): Promise<number> {
      assertKeyPrefix(prefix, { allowEmpty: false });
      let count = 0;
      const touched = new Set<string>();
      for await (const key of walkKeys(objectsRoot, prefix, "")) {
        const { dir, file } = objectPaths(objectsRoot, key);
        if (await unlinkIfPresent(file)) count += 1;
        touched.add(dir);
      }
      // Deepest first, so a parent is tried after its children went.
      for (const dir of [...touched].sort((a, b) => b.length - a.length))
        await pruneEmptyDirs(objectsRoot, dir);
      return count;
    },

    async ping(): Promise<boolean> {
      try {
        await access(objectsRoot, constants.W_OK);
        await access(tmpDir, constants.W_OK);
        return true;
      } catch {
        return false;
      }
    },

    async close(): Promise<void> {},
  };
}

function bodyStream(handle: FileHandle, size: number): Readable {
  if (size === 0) {
    void handle.close();
    return Readable.from([], { objectMode: false });
  }
  return handle.createReadStream({ start: 0, end: size - 1 });
}

async function unlinkIfPresent(file: string): Promise<boolean> {
  try {
    await unlink(file);
    return true;
  } catch (error: unknown) {
    if (isMissing(error)) return false;
    throw error;
  }
}

async function removeStaleTemps(tmpDir: string): Promise<void> {
  const now = Date.now();
  for (const name of await readdir(tmpDir)) {
    const path = join(tmpDir, name);
    const info = await stat(path).catch(() => undefined);
    if (info !== undefined && now - info.mtimeMs > STALE_TEMP_MS) await rm(path, { force: true });
  }
}
