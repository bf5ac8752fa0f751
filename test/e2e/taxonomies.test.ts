import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DataPath,
  type Doc,
  type Page,
  startDataPath,
  type Taxonomy,
  URI,
} from "./data-path-fixture.js";
import { expectErrorBody, type TestPlatform } from "./harness.js";

/** Taxonomies through the gateway's REST API, on the real platform. */
let platform: TestPlatform;
let namespaceId: string;

beforeAll(async () => {
  ({ platform, namespaceId, docs, createDoc } = await startDataPath());
});
afterAll(async () => {
  await platform?.stop();
});

let docs: DataPath["docs"];
let createDoc: DataPath["createDoc"];

describe("taxonomies", () => {
  it("creates, reads, updates, labels documents with, and deletes a taxonomy", async () => {
    const created = await platform.call<Taxonomy>("POST", "/v1/taxonomies", {
      namespace: namespaceId,
      body: { taxonomy_name: "genres", nodes: [{ label: "music" }, { label: "jazz", parent: "music" }] },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.taxonomy_id).toMatch(/^tax_/);
    expect(created.body.nodes).toEqual([
      { label: "music", parent: null },
      { label: "jazz", parent: "music" },
    ]);
    const byName = await platform.call<Taxonomy>("GET", "/v1/taxonomies/genres", { namespace: "data-path" });
    expect(byName.body.taxonomy_id).toBe(created.body.taxonomy_id);
    const listed = await platform.call<Page<Taxonomy>>("GET", "/v1/taxonomies", { namespace: namespaceId });
    expect(listed.body.data.map((t) => t.taxonomy_name)).toEqual(["genres"]);

    const updated = await platform.call<Taxonomy>("PATCH", `/v1/taxonomies/${created.body.taxonomy_id}`, {
      namespace: namespaceId,
      body: {
        nodes: [{ label: "music" }, { label: "jazz", parent: "music" }, { label: "bebop", parent: "jazz" }],
      },
    });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(updated.body.nodes).toHaveLength(3);

    const labelled = await createDoc({
      document_id: "song-1",
      features: { [URI]: [0, 1, 1] },
      taxonomy_labels: [{ taxonomy_id: created.body.taxonomy_id, label: "bebop" }],
    });
    expect(labelled.status, JSON.stringify(labelled.body)).toBe(201);
    expect(labelled.body.taxonomy_labels).toEqual([
      { taxonomy_id: created.body.taxonomy_id, label: "bebop" },
    ]);
    // A filter on a node matches documents labelled with it or any node below it.
    const other = await createDoc({
      document_id: "song-other",
      features: { [URI]: [0, 1, 1] },
      taxonomy_labels: [{ taxonomy_id: created.body.taxonomy_id, label: "music" }],
    });
    expect(other.status, JSON.stringify(other.body)).toBe(201);
    const listIds = async (value: string) => {
      const listed = await platform.call<Page<Doc>>("POST", docs("/list"), {
        namespace: namespaceId,
        body: { filters: { AND: [{ field: "taxonomies.genres", operator: "eq", value }] } },
      });
      expect(listed.status, JSON.stringify(listed.body)).toBe(200);
      return listed.body.data.map((d) => d.document_id).sort();
    };
    expect(await listIds("jazz")).toEqual(["song-1"]);
    expect(await listIds("music")).toEqual(["song-1", "song-other"]);
    expectErrorBody(
      await platform.call("POST", docs("/list"), {
        namespace: namespaceId,
        body: { filters: { AND: [{ field: "taxonomies.nope", operator: "eq", value: "x" }] } },
      }),
      422,
      "ValidationError",
    );
    expect((await platform.call("DELETE", docs("/song-other"), { namespace: namespaceId })).status).toBe(200);

    const unknownLabel = await createDoc({
      document_id: "song-2",
      taxonomy_labels: [{ taxonomy_id: created.body.taxonomy_id, label: "polka" }],
    });
    expectErrorBody(unknownLabel, 422, "ValidationError");

    expectErrorBody(
      await platform.call("DELETE", "/v1/taxonomies/genres", { namespace: namespaceId }),
      422,
      "ValidationError",
    );
    const unlabelled = await platform.call<Doc>("PATCH", docs("/song-1"), {
      namespace: namespaceId,
      body: { taxonomy_labels: [] },
    });
    expect(unlabelled.status).toBe(200);
    const deleted = await platform.call<Taxonomy>("DELETE", "/v1/taxonomies/genres", {
      namespace: namespaceId,
    });
    expect(deleted.status).toBe(200);
    expectErrorBody(
      await platform.call("GET", "/v1/taxonomies/genres", { namespace: namespaceId }),
      404,
      "NotFoundError",
    );
  });
});
