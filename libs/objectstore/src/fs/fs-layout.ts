import type { Dirent } from "node:fs";
import { readdir } from "node:fs/promises";
import { join, sep } from "node:path";

/**
 * Key → path mapping. Key segments become directories and the last one a file named
 * `<segment>~o`. `~` never occurs in a key, so the key `a` (file `a~o`) and the keys under `a/`
 * (directory `a`) never collide, which plain names could not promise.
 */
export const DATA_SUFFIX = "~o";
const SEGMENT_NAME = /^[A-Za-z0-9._-]+$/;

export interface ObjectPaths {
  readonly dir: string;
  readonly file: string;
}

/** `key` must already be valid (keys.ts); the lexical check is a second line of defence. */
export function objectPaths(objectsRoot: string, key: string): ObjectPaths {
  const segments = key.split("/");
  const last = segments.pop() ?? "";
  const dir = join(objectsRoot, ...segments);
  const file = join(dir, `${last}${DATA_SUFFIX}`);
  if (!file.startsWith(objectsRoot + sep)) throw new Error(`Object key escapes the store root: ${key}`);
  return { dir, file };
}

/**
 * Yields the keys that start with `prefix` and sort after `after`, in byte-wise order, reading
 * only the directories that can hold such keys. A directory stands for the keys `<name>/…`, so
 * entries are ordered by that string (`a` < `a-b` < `a.c` < `a/…` < `a0`), which makes a
 * depth-first walk come out sorted. Symbolic links and foreign files are ignored.
 */
export async function* walkKeys(objectsRoot: string, prefix: string, after: string): AsyncGenerator<string> {
  const base = prefix.slice(0, prefix.lastIndexOf("/") + 1);
  const baseDir = join(objectsRoot, ...base.split("/").filter((segment) => segment.length > 0));
  yield* walkDir(baseDir, base, prefix, after);
}

interface Child {
  readonly name: string;
  readonly key: string;
  readonly isDir: boolean;
}

async function* walkDir(dir: string, base: string, prefix: string, after: string): AsyncGenerator<string> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error: unknown) {
    if (isMissing(error)) return;
    throw error;
  }
  const children: Child[] = [];
  for (const entry of entries) {
    const child = childOf(entry, base);
    if (child === undefined) continue;
    const inPrefix = child.key.startsWith(prefix) || (child.isDir && prefix.startsWith(child.key));
    if (!inPrefix) continue;
    // A directory whose keys all sort before `after` is skipped without being read.
    const pastCursor = child.isDir ? child.key > after || after.startsWith(child.key) : child.key > after;
    if (pastCursor) children.push(child);
  }
  children.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const child of children) {
    if (child.isDir) yield* walkDir(join(dir, child.name), child.key, prefix, after);
    else yield child.key;
  }
}

function childOf(entry: Dirent, base: string): Child | undefined {
  if (entry.isDirectory() && SEGMENT_NAME.test(entry.name)) {
    return { name: entry.name, key: `${base}${entry.name}/`, isDir: true };
  }
  if (entry.isFile() && entry.name.endsWith(DATA_SUFFIX)) {
    const stem = entry.name.slice(0, -DATA_SUFFIX.length);
    if (SEGMENT_NAME.test(stem)) return { name: entry.name, key: `${base}${stem}`, isDir: false };
  }
  return undefined;
}

export function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}
