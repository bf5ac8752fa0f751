import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** Directories opened by this process (a pid file alone cannot tell a second open in-process). */
const openHere = new Set<string>();

/**
 * One writer per directory: two indexes appending to the same logs would corrupt them. The lock
 * is a file holding the owner's pid; a lock left by a dead process is taken over.
 */
export async function lockDirectory(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, "LOCK");
  if (openHere.has(path)) throw new Error(`Hot index directory ${dir} is already open in this process`);
  try {
    await writeFile(path, String(process.pid), { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const owner = Number(await readFile(path, "utf8").catch(() => ""));
    if (owner !== process.pid && isAlive(owner)) {
      throw new Error(`Hot index directory ${dir} is locked by process ${owner}`);
    }
    await writeFile(path, String(process.pid), { mode: 0o600 });
  }
  openHere.add(path);
  return async () => {
    openHere.delete(path);
    await rm(path, { force: true });
  };
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
