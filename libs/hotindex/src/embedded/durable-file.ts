import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** Forces a file's (or a directory's entries') writes to disk. */
export function fsyncPath(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces `path` with `text` so that a crash at any moment leaves the old content or the new,
 * never an empty or torn file: a temporary file, fsynced, renamed into place, the directory fsynced.
 * Synchronous: it is for small files (a few hundred bytes).
 */
export function writeFileAtomically(path: string, text: string): void {
  const temp = `${path}.tmp`;
  try {
    // The index holds users' vectors and metadata: 0600 whatever the umask.
    writeFileSync(temp, text, { mode: 0o600 });
    fsyncPath(temp);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  fsyncPath(dirname(path));
}
