import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  conditionJson,
  type OracleDocument,
  type OraclePrincipal,
  type OracleRule,
  oracleCanSee,
} from "../../services/namespace/src/acl-oracle.js";
import { callApi, expectErrorBody, startTestPlatform, type TestPlatform } from "./harness.js";

/** Document ACLs through the gateway, on the real platform (ADR 0018). */
const NS = "acl";
const URI = "strata://test@v1/embedding";
const PRINCIPALS: OraclePrincipal[] = [
  { id: "alice", roles: ["analyst"], attributes: { department: "sales" } },
  { id: "bob", roles: [], attributes: { department: "hr" } },
  { id: "carol", roles: ["analyst", "editor"], attributes: {} },
];
const DOCS = 24;

interface Doc {
  document_id: string;
  _acl: OracleDocument["_acl"];
}
interface Page<T> {
  data: T[];
  next_cursor: string | null;
}
interface Execution {
  results: { document_id: string; score: number }[];
}

let platform: TestPlatform;
let collectionId = "";
let retrieverId = "";
const keys = new Map<string, string>();
let impersonatorKey = "";
const docs: OracleDocument[] = [];
/** The rules the first test creates; later tests reason with them. */
let rules: OracleRule[] = [];

const as = (principal: string) => ({ key: keys.get(principal) ?? "", namespace: NS });
const api = <T>(
  method: string,
  path: string,
  options: { key: string; namespace?: string; body?: unknown; headers?: Record<string, string> },
) => callApi<T>(platform.url, method, path, options);

async function listAll(principal: string, limit: number): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const query: string = `limit=${limit}${cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`}`;
    const page = await api<Page<Doc>>(
      "GET",
      `/v1/collections/${collectionId}/documents?${query}`,
      as(principal),
    );
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    pages.push(page.body.data.map((d) => d.document_id));
    cursor = page.body.next_cursor;
  } while (cursor !== null);
  return pages;
}

beforeAll(async () => {
  platform = await startTestPlatform();
  expect((await platform.call("POST", "/v1/namespaces", { body: { namespace_name: NS } })).status).toBe(201);
  const made = await platform.call<{ collection_id: string }>("POST", "/v1/collections", {
    namespace: NS,
    body: {
      collection_name: "files",
      features: [{ feature_uri: URI, dimensions: 2, metric: "euclidean" }],
      indexed_fields: ["department", "level", "author"],
    },
  });
  expect(made.status).toBe(201);
  collectionId = made.body.collection_id;
  for (const p of PRINCIPALS) {
    const created = await platform.call("POST", "/v1/principals", {
      body: { principal_id: p.id, roles: p.roles, attributes: p.attributes },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const key = await platform.call<{ api_key: string }>("POST", "/v1/api-keys", {
      body: { name: p.id, permissions: ["write"], principal_id: p.id },
    });
    expect(key.status).toBe(201);
    keys.set(p.id, key.body.api_key);
  }
  const impersonator = await platform.call<{ api_key: string }>("POST", "/v1/api-keys", {
    body: { name: "support", permissions: ["read", "acl:impersonate"] },
  });
  expect(impersonator.status, JSON.stringify(impersonator.body)).toBe(201);
  impersonatorKey = impersonator.body.api_key;
  const entries = [...PRINCIPALS.map((p) => p.id), "role:analyst", "role:editor"];
  const specs = fc.sample(
    fc.record({
      read: fc.subarray(entries, { maxLength: 2 }),
      public: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
      department: fc.constantFrom("sales", "hr", "eng"),
      level: fc.integer({ min: 0, max: 5 }),
    }),
    { seed: 7, numRuns: DOCS },
  );
  for (const [i, spec] of specs.entries()) {
    const document_id = `f${String(i).padStart(2, "0")}`;
    const metadata = { department: spec.department, level: spec.level };
    const created = await platform.call<Doc>("POST", `/v1/collections/${collectionId}/documents`, {
      namespace: NS,
      body: {
        document_id,
        metadata,
        features: { [URI]: [i + 1, 1] },
        _acl: { read: spec.read, write: [], public: spec.public },
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    docs.push({ document_id, collection_id: collectionId, metadata, _acl: created.body._acl });
  }
  const retriever = await platform.call<{ retriever_id: string }>("POST", "/v1/retrievers", {
    namespace: NS,
    body: { retriever_name: "files", collection_ids: [collectionId], feature_uri: URI, top_k: 30 },
  });
  expect(retriever.status).toBe(201);
  retrieverId = retriever.body.retriever_id;
}, 120_000);

afterAll(async () => {
  await platform?.stop();
});

describe("end-user keys", () => {
  it("see only the documents their ACLs and the rules let through, in every API (differential)", async () => {
    rules = [
      { effect: "allow", condition: { kind: "same_department" }, collectionIds: [] },
      { effect: "deny", condition: { kind: "level_at_most", level: 0 }, collectionIds: [collectionId] },
    ];
    for (const [i, rule] of rules.entries()) {
      const made = await platform.call("POST", "/v1/acl/rules", {
        namespace: NS,
        body: {
          rule_name: `rule-${i}`,
          effect: rule.effect,
          condition: conditionJson(rule.condition),
          collection_ids: rule.collectionIds,
        },
      });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
    }
    // Rules apply within a second of their creation on every replica.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const order = (
      await api<Page<Doc>>("GET", `/v1/collections/${collectionId}/documents?limit=100`, {
        key: platform.adminKey,
        namespace: NS,
      })
    ).body.data.map((d) => d.document_id);
    expect(order).toHaveLength(DOCS);
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...PRINCIPALS),
        fc.integer({ min: 2, max: 9 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: DOCS - 1 }),
        async (p, limit, topK, probe) => {
          cases += 1;
          const visible = new Set(docs.filter((d) => oracleCanSee(d, p, rules)).map((d) => d.document_id));
          const pages = await listAll(p.id, limit);
          expect(pages.flat()).toEqual(order.filter((id) => visible.has(id)));
          expect(pages.slice(0, -1).every((page) => page.length === limit)).toBe(true);
          const found = await api<Execution>("POST", `/v1/retrievers/${retrieverId}/execute`, {
            ...as(p.id),
            body: { query: { vector: [0, 1] }, top_k: topK },
          });
          expect(found.status, JSON.stringify(found.body)).toBe(200);
          const nearest = docs.map((d) => d.document_id).filter((id) => visible.has(id));
          expect(found.body.results.map((r) => r.document_id)).toEqual(nearest.slice(0, topK));
          const doc = docs[probe];
          if (doc === undefined) return;
          const got = await api(
            "GET",
            `/v1/collections/${collectionId}/documents/${doc.document_id}`,
            as(p.id),
          );
          expect(got.status).toBe(visible.has(doc.document_id) ? 200 : 404);
        },
      ),
      { numRuns: 150, seed: 11 },
    );
    expect(cases).toBe(150);
  }, 120_000);

  it("answers a hidden document exactly as a missing one", async () => {
    const hidden = docs.find((d) => !oracleCanSee(d, PRINCIPALS[1] as OraclePrincipal, rules));
    expect(hidden).toBeDefined();
    const path = `/v1/collections/${collectionId}/documents`;
    const denied = await api<{ error: unknown }>("GET", `${path}/${hidden?.document_id}`, as("bob"));
    const absent = await api<{ error: unknown }>("GET", `${path}/${hidden?.document_id}x`, as("bob"));
    expectErrorBody(denied, 404, "NotFoundError");
    expectErrorBody(absent, 404, "NotFoundError");
    const shape = (body: { error: unknown }) => JSON.stringify(body.error).replaceAll(/f\d\dx?/g, "ID");
    expect(shape(denied.body)).toBe(shape(absent.body));
  });

  it("own the documents they create, which other end users do not see", async () => {
    const created = await api<Doc>("POST", `/v1/collections/${collectionId}/documents`, {
      ...as("alice"),
      body: { document_id: "alice-notes", features: { [URI]: [0, 0] } },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body._acl).toEqual({ owner: "alice", read: ["alice"], write: ["alice"], public: false });
    const path = `/v1/collections/${collectionId}/documents/alice-notes`;
    expect((await api("GET", path, as("alice"))).status).toBe(200);
    expect((await api("GET", path, as("carol"))).status).toBe(404);
    expect((await api("PATCH", path, { ...as("carol"), body: { metadata: {} } })).status).toBe(404);
    // The owner shares it; the reader may read, not write, and not change the ACL.
    const shared = await api<Doc>("PUT", `${path}/acl`, {
      ...as("alice"),
      body: { owner: "alice", read: ["alice", "carol"], write: ["alice"] },
    });
    expect(shared.status, JSON.stringify(shared.body)).toBe(200);
    expect((await api("GET", path, as("carol"))).status).toBe(200);
    expectErrorBody(
      await api("PATCH", path, { ...as("carol"), body: { metadata: {} } }),
      403,
      "ForbiddenError",
    );
    expectErrorBody(
      await api("PUT", `${path}/acl`, { ...as("carol"), body: { read: ["carol"] } }),
      403,
      "ForbiddenError",
    );
    expect((await api("DELETE", path, as("alice"))).status).toBe(200);
  });

  it("X-Principal works only for org keys holding acl:impersonate", async () => {
    const path = `/v1/collections/${collectionId}/documents?limit=100`;
    const asBob = await api<Page<Doc>>("GET", path, {
      key: impersonatorKey,
      namespace: NS,
      headers: { "x-principal": "bob" },
    });
    expect(asBob.status).toBe(200);
    expect(asBob.body.data.map((d) => d.document_id)).toEqual((await listAll("bob", 100)).flat());
    expectErrorBody(
      await api("GET", path, { key: platform.adminKey, namespace: NS, headers: { "x-principal": "bob" } }),
      403,
      "ForbiddenError",
    );
    expectErrorBody(
      await api("GET", path, { ...as("alice"), headers: { "x-principal": "bob" } }),
      403,
      "ForbiddenError",
    );
    expectErrorBody(
      await api("GET", path, { key: impersonatorKey, namespace: NS, headers: { "x-principal": "nobody" } }),
      404,
      "NotFoundError",
    );
  });

  it("a revoked role and a new rule are enforced within 1 s, through the gateway", async () => {
    const roleDoc = await platform.call<Doc>("POST", `/v1/collections/${collectionId}/documents`, {
      namespace: NS,
      body: {
        document_id: "analysts-only",
        metadata: { department: "eng", level: 3 },
        features: { [URI]: [0, 5] },
        _acl: { read: ["role:analyst"] },
      },
    });
    expect(roleDoc.status).toBe(201);
    const path = `/v1/collections/${collectionId}/documents/analysts-only`;
    expect((await api("GET", path, as("carol"))).status).toBe(200);
    const revoked = await platform.call("PATCH", "/v1/principals/carol", { body: { roles: ["editor"] } });
    expect(revoked.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await api("GET", path, as("carol"))).status).toBe(404);
    const allow = await platform.call("POST", "/v1/acl/rules", {
      namespace: NS,
      body: {
        rule_name: "eng-editors",
        effect: "allow",
        condition: {
          AND: [
            { field: "metadata.department", operator: "eq", value: "eng" },
            { field: "metadata.level", operator: "gte", value: 3 },
          ],
        },
      },
    });
    expect(allow.status, JSON.stringify(allow.body)).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await api("GET", path, as("carol"))).status).toBe(200);
  });

  it("principals and rules are managed by org admin keys only, with the documented errors", async () => {
    expectErrorBody(
      await api("POST", "/v1/principals", { ...as("alice"), body: { principal_id: "x" } }),
      403,
      "ForbiddenError",
    );
    expectErrorBody(await api("GET", "/v1/acl/rules", as("alice")), 403, "ForbiddenError");
    expectErrorBody(
      await platform.call("POST", "/v1/acl/rules", {
        namespace: NS,
        body: {
          rule_name: "bad",
          effect: "allow",
          condition: { AND: [{ field: "metadata.x", operator: "eq", value: "$user.nope" }] },
        },
      }),
      422,
      "ValidationError",
    );
    expectErrorBody(
      await platform.call("POST", "/v1/principals", { body: { principal_id: "alice" } }),
      409,
      "AlreadyExistsError",
    );
    expectErrorBody(await platform.call("GET", "/v1/principals/nobody"), 404, "NotFoundError");
  });
});
