import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bootstrapFileSink } from "../adapters/bootstrap-file.js";
import { BOOTSTRAP_KEY_NAME, bootstrapIfEmpty, type SecretSink } from "./bootstrap.js";
import { createOrganization } from "./organizations.js";
import { API_KEYS_TABLE, type ApiKeyRecord, ORGANIZATIONS_TABLE } from "./tables.js";
import { testAuth } from "./test-support.js";
import { verifyKey } from "./verify-key.js";

describe("bootstrapIfEmpty", () => {
  it("creates the default organization and writes a 0600 file with a working admin key, once", async () => {
    const t = await testAuth();
    const dir = await mkdtemp(join(tmpdir(), "auth-bootstrap-"));
    try {
      const file = join(dir, "nested", "bootstrap.json");
      const outcome = await bootstrapIfEmpty(t.ports, bootstrapFileSink(file));
      expect(outcome?.organizationId).toMatch(/^org_/);

      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const content = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
      expect(Object.keys(content).sort()).toEqual(["api_key", "organization_id"]);
      expect(content.organization_id).toBe(outcome?.organizationId);
      const verified = await verifyKey(t.ports, String(content.api_key));
      expect(verified.valid ? verified.key : undefined).toMatchObject({
        id: outcome?.keyId,
        name: BOOTSTRAP_KEY_NAME,
        permissions: ["admin"],
        namespaces: [],
      });
      expect(await readdir(join(dir, "nested"))).toEqual(["bootstrap.json"]);

      const before = await readFile(file, "utf8");
      const second = await bootstrapIfEmpty(t.ports, bootstrapFileSink(file));
      expect(second).toBeUndefined();
      expect(await readFile(file, "utf8")).toBe(before);
      expect(await t.store.table(ORGANIZATIONS_TABLE).count()).toBe(1);
      expect(await t.store.table<ApiKeyRecord>(API_KEYS_TABLE).count()).toBe(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("does nothing when an organization already exists", async () => {
    const t = await testAuth();
    await createOrganization(t.ports, "Existing");
    let called = false;
    const sink: SecretSink = async () => {
      called = true;
      return { publish: async () => undefined, discard: async () => undefined };
    };
    expect(await bootstrapIfEmpty(t.ports, sink)).toBeUndefined();
    expect(called).toBe(false);
  });

  it("commits nothing when the secret cannot be written", async () => {
    const t = await testAuth();
    const failing: SecretSink = async () => {
      throw new Error("disk full");
    };
    await expect(bootstrapIfEmpty(t.ports, failing)).rejects.toThrow("disk full");
    expect(await t.store.table(ORGANIZATIONS_TABLE).count()).toBe(0);
    expect(await t.events()).toEqual([]);
  });

  it("creates one organization when two instances start together", async () => {
    const t = await testAuth();
    const written: string[] = [];
    const sink: SecretSink = async (credentials) => ({
      publish: async () => {
        written.push(credentials.organization_id);
      },
      discard: async () => undefined,
    });
    const outcomes = await Promise.all([bootstrapIfEmpty(t.ports, sink), bootstrapIfEmpty(t.ports, sink)]);
    expect(outcomes.filter((o) => o !== undefined)).toHaveLength(1);
    expect(written).toHaveLength(1);
    expect(await t.store.table(ORGANIZATIONS_TABLE).count()).toBe(1);
  });
});
