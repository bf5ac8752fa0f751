import { constants } from "node:fs";
import { type FileHandle, mkdir, open, realpath, rename, rmdir } from "node:fs/promises";
import { dirname, sep } from "node:path";
import { isMissing } from "./fs-layout.js";

/**
 * File-system steps of the adapter, each guarding the root: object directories are never
 * symbolic links, so a directory whose real path differs from its lexical path was planted by
 * someone else and would let a key reach outside the root.
 */
export async function assertRealDir(objectsRoot: string, dir: string): Promise<boolean> {
  let real: string;
  try {
    real = await realpath(dir);
  } catch (error: unknown) {
    if (isMissing(error)) return false;
    throw error;
  }
  if (real !== dir || !(real === objectsRoot || real.startsWith(objectsRoot + sep))) {
    throw new Error(`Object directory ${dir} resolves outside the store root (symbolic link?)`);
  }
  return true;
}

/** Opens an object file for reading without following a link; undefined when it is absent. */
export async function openObjectFile(
  objectsRoot: string,
  dir: string,
  file: string,
): Promise<FileHandle | undefined> {
  if (!(await assertRealDir(objectsRoot, dir))) return undefined;
  try {
    return await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error: unknown) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/**
 * Moves a finished temp file into place. A concurrent delete may prune the (empty) target
 * directory between mkdir and rename; then the directory is made again.
 */
export async function commitFile(objectsRoot: string, tmp: string, dir: string, file: string): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await assertRealDir(objectsRoot, dir);
    try {
      await rename(tmp, file);
      await syncDir(dir);
      return;
    } catch (error: unknown) {
      if (!isMissing(error) || attempt >= 4) throw error;
    }
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Removes now-empty directories from `dir` up to (not including) the objects root. */
export async function pruneEmptyDirs(objectsRoot: string, dir: string): Promise<void> {
  let current = dir;
  while (current.startsWith(objectsRoot + sep)) {
    try {
      await rmdir(current);
    } catch (error: unknown) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOTEMPTY" || code === "EEXIST") return;
      // Already gone (a concurrent prune): its parent may still be empty.
      if (code !== "ENOENT") throw error;
    }
    current = dirname(current);
  }
}
