import { randomBytes } from "node:crypto";
import { chmod, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type NatsCredentials, SERVICE_NAMES, type ServiceName } from "./config.js";
import { natsAuthorizationBlock, natsUserOf } from "./nats-authorization.js";

export type ServiceCredentials = Readonly<Record<ServiceName, NatsCredentials>>;

/** In the data dir, mode 0600: the embedded nats-server's users, one per service. */
export const NATS_CREDENTIALS_FILE = "nats-credentials.json";
/** In the data dir, mode 0600: the embedded nats-server's config (its authorization block). */
export const NATS_CONFIG_FILE = "nats-server.conf";

/**
 * The embedded mode's NATS credentials: generated on the first start, kept in the data dir and
 * read on every later start (a service missing from the file gets one). Anyone who can read the
 * data dir can read them, as they can read the stores themselves.
 */
export async function loadOrCreateNatsCredentials(dataDir: string): Promise<ServiceCredentials> {
  const file = join(dataDir, NATS_CREDENTIALS_FILE);
  const stored = parseStored(await readFile(file, "utf8").catch(() => undefined));
  const credentials = {} as Record<ServiceName, NatsCredentials>;
  let changed = false;
  for (const service of SERVICE_NAMES) {
    const known = stored[service];
    changed ||= known === undefined;
    credentials[service] = known ?? {
      user: natsUserOf(service),
      password: randomBytes(32).toString("base64url"),
    };
  }
  if (changed) await writePrivate(file, `${JSON.stringify(credentials, null, 2)}\n`);
  else await chmod(file, 0o600);
  return credentials;
}

/** Writes the nats-server config requiring those credentials; returns its path. */
export async function writeNatsConfig(dataDir: string, credentials: ServiceCredentials): Promise<string> {
  const file = join(dataDir, NATS_CONFIG_FILE);
  const block = natsAuthorizationBlock(SERVICE_NAMES, (service) =>
    JSON.stringify(credentials[service].password),
  );
  await writePrivate(file, `# Written by the Strata launcher on every start; edits are lost.\n${block}`);
  return file;
}

function parseStored(text: string | undefined): Partial<Record<ServiceName, NatsCredentials>> {
  const result: Partial<Record<ServiceName, NatsCredentials>> = {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text ?? "{}");
  } catch {
    // A damaged file: new credentials (the server's config is rewritten with them on this start).
    return result;
  }
  if (typeof parsed !== "object" || parsed === null) return result;
  for (const service of SERVICE_NAMES) {
    const entry: unknown = (parsed as Record<string, unknown>)[service];
    if (typeof entry !== "object" || entry === null) continue;
    const { user, password } = entry as Record<string, unknown>;
    // The server's config names each user natsUserOf(service); an entry naming another is replaced.
    if (user === natsUserOf(service) && typeof password === "string" && password.length >= 16) {
      result[service] = { user, password };
    }
  }
  return result;
}

/** Atomically, created 0600 whatever the umask (the mode is set before any secret is in it). */
async function writePrivate(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, "", { mode: 0o600 });
  await chmod(temp, 0o600);
  await writeFile(temp, text);
  await rename(temp, file);
}
