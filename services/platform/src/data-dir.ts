import { chmod, mkdir, stat } from "node:fs/promises";
import type { Logger } from "@strata/logger";

/** Files the platform creates are 0600 and directories 0700, whatever the umask it was started with. */
const PRIVATE_UMASK = 0o077;

/**
 * Makes the data dir private before anything is written to it: created 0700, or, when it already
 * exists open to group or others (a `mkdir` with the default umask gives 0755), tightened to 0700
 * if this user owns it, with a warning either way. The process umask becomes 077, so everything
 * created afterwards — SQLite files and their -wal/-shm, objects, the hot index, the nats-server
 * child's store (it inherits the umask) — is private too, on top of the modes the stores set
 * themselves.
 */
export async function secureDataDir(dir: string, logger: Logger): Promise<void> {
  process.umask(PRIVATE_UMASK);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const { mode, uid } = await stat(dir);
  if ((mode & 0o077) === 0) return;
  const was = (mode & 0o777).toString(8).padStart(4, "0");
  const ours = process.getuid === undefined || uid === process.getuid();
  if (ours) await chmod(dir, 0o700);
  logger.warn(
    { dataDir: dir, mode: was, fixed: ours },
    ours
      ? `the data dir was group- or world-accessible (mode ${was}); it is now 0700`
      : `the data dir is group- or world-accessible (mode ${was}) and owned by another user; make it 0700 (chmod 700)`,
  );
}
