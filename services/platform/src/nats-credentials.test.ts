import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  loadOrCreateNatsCredentials,
  NATS_CONFIG_FILE,
  NATS_CREDENTIALS_FILE,
  writeNatsConfig,
} from "./nats-credentials.js";

describe("the embedded mode's NATS credentials", () => {
  let dir = "";
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "strata-nats-credentials-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("are generated once, a strong password per service, and read back on the next start", async () => {
    const first = await loadOrCreateNatsCredentials(dir);
    expect(first.gateway.user).toBe("strata-gateway");
    expect(first.gateway.password.length).toBeGreaterThanOrEqual(40);
    expect(first.auth.password).not.toBe(first.gateway.password);
    expect((await stat(join(dir, NATS_CREDENTIALS_FILE))).mode & 0o777).toBe(0o600);
    expect(await loadOrCreateNatsCredentials(dir)).toEqual(first);
  });

  it("fill in a service missing from the file and replace a damaged file", async () => {
    const first = await loadOrCreateNatsCredentials(dir);
    const { gateway: _gone, ...rest } = first;
    await writeFile(join(dir, NATS_CREDENTIALS_FILE), JSON.stringify(rest));
    const filled = await loadOrCreateNatsCredentials(dir);
    expect(filled.auth).toEqual(first.auth);
    expect(filled.gateway.password).not.toBe(first.gateway.password);

    await writeFile(join(dir, NATS_CREDENTIALS_FILE), "{not json");
    const renewed = await loadOrCreateNatsCredentials(dir);
    expect(renewed.auth.password).not.toBe(first.auth.password);
  });

  it("go into a 0600 server config that lists every user and allows no anonymous client", async () => {
    const credentials = await loadOrCreateNatsCredentials(dir);
    const text = await readFile(await writeNatsConfig(dir, credentials), "utf8");
    expect((await stat(join(dir, NATS_CONFIG_FILE))).mode & 0o777).toBe(0o600);
    for (const { user, password } of Object.values(credentials)) {
      expect(text).toContain(`user: "${user}"`);
      expect(text).toContain(`password: "${password}"`);
    }
    expect(text).not.toMatch(/no_auth_user/);
  });
});
