import { randomBytes } from "node:crypto";
import { chmod, mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { BootstrapCredentials, PendingSecret, SecretSink } from "../domain/bootstrap.js";

/**
 * Writes the bootstrap credentials to `path` with mode 0600: first to a temporary file in the same
 * directory (created 0600, so the secret is never readable by others even for a moment), renamed
 * into place only once the key is committed.
 */
export function bootstrapFileSink(path: string): SecretSink {
  return async (credentials: BootstrapCredentials): Promise<PendingSecret> => {
    const directory = dirname(path);
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const temporary = join(directory, `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
    const handle = await open(temporary, "wx", 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(credentials, null, 2)}\n`, "utf8");
      await handle.sync();
      await handle.close();
      // open()'s mode is filtered by the umask, which can only remove bits; set it exactly anyway.
      await chmod(temporary, 0o600);
    } catch (exception: unknown) {
      await handle.close().catch(() => undefined);
      await rm(temporary, { force: true });
      throw exception;
    }
    return {
      publish: () => rename(temporary, path),
      discard: () => rm(temporary, { force: true }),
    };
  };
}
