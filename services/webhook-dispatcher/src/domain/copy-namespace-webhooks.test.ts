import { createTestRuntime } from "@strata/service-kit/testing";
import { describe, expect, it } from "vitest";
import { copyNamespaceWebhooks } from "./copy-namespace-webhooks.js";
import { WEBHOOK_TABLE_SPECS, WEBHOOKS_TABLE, type WebhookRecord } from "./tables.js";

const ORG = "org_11111111111111111111";
const SOURCE = "ns_11111111111111111111";
const CLONE = "ns_22222222222222222222";
const clone = { organizationId: ORG, sourceNamespaceId: SOURCE, namespaceId: CLONE, includeWebhooks: true };

function webhook(id: string, name: string): WebhookRecord {
  return {
    id,
    organization_id: ORG,
    namespace_id: SOURCE,
    namespaces: [],
    name,
    url: `https://example.com/${name}`,
    events: ["batch.*"],
    headers: {},
    rate_limit_per_second: null,
    is_active: true,
    disabled_reason: null,
    secret_sealed: "sealed:whsec_source",
    previous_secret_sealed: null,
    previous_secret_until: null,
    failing_since: "2030-01-01T00:00:00.000Z",
    created_at: `2030-01-01T00:0${id.length % 10}:00.000Z`,
    updated_at: "2030-01-01T00:00:00.000Z",
  };
}

async function setup() {
  const runtime = await createTestRuntime(WEBHOOK_TABLE_SPECS);
  let seals = 0;
  let crashAtSeal = 0;
  const ports = {
    ...runtime.ports,
    sealer: {
      seal: (secret: string) => {
        seals += 1;
        // The process dies while making the nth copy.
        if (seals === crashAtSeal) throw new Error("crash");
        return `sealed:${secret}`;
      },
      open: (sealed: string) => sealed.slice("sealed:".length),
    },
  };
  const table = runtime.store.table<WebhookRecord>(WEBHOOKS_TABLE);
  await table.insert(webhook("wh_11111111111111111111", "one"));
  await table.insert(webhook("wh_22222222222222222222", "two"));
  const copies = async () => (await table.find({ where: { namespace_id: CLONE } })).map((v) => v.record);
  return { ports, copies, crashAt: (n: number) => (crashAtSeal = n) };
}

describe("copyNamespaceWebhooks", () => {
  it("copies inactive, with a fresh secret and no failure history", async () => {
    const t = await setup();
    expect(await copyNamespaceWebhooks(t.ports, clone)).toEqual({ webhooks: 2, present: 0 });
    for (const copy of await t.copies()) {
      expect(copy).toMatchObject({ is_active: false, failing_since: null, previous_secret_sealed: null });
      expect(copy.secret_sealed).toMatch(/^sealed:whsec_/);
      expect(copy.secret_sealed).not.toBe("sealed:whsec_source");
    }
  });

  it("after a crash between two webhooks, a second run copies the rest and nothing twice", async () => {
    const t = await setup();
    t.crashAt(2);
    await expect(copyNamespaceWebhooks(t.ports, clone)).rejects.toThrow("crash");
    expect(await t.copies()).toHaveLength(1);
    t.crashAt(0);
    expect(await copyNamespaceWebhooks(t.ports, clone)).toEqual({ webhooks: 1, present: 1 });
    expect((await t.copies()).map((w) => w.name).sort()).toEqual(["one", "two"]);
  });

  it("copies nothing unless the clone asked for webhooks", async () => {
    const t = await setup();
    expect(await copyNamespaceWebhooks(t.ports, { ...clone, includeWebhooks: false })).toEqual({
      webhooks: 0,
      present: 0,
    });
    expect(await t.copies()).toEqual([]);
  });
});
