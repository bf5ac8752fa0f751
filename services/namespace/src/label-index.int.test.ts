import { join } from "node:path";
import { openSqliteDocStore } from "@strata/docstore";
import type { UnaryInvoker } from "@strata/grpc";
import { collectionV1, documentV1, taxonomyV1 } from "@strata/proto";
import { type TempDir, tempDir } from "@strata/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DOCUMENT_LABELS_BACKFILL_TABLE, DOCUMENT_LABELS_TABLE } from "./modules/documents/tables.js";
import {
  adminCaller,
  callAs,
  must,
  type NamespaceHarness,
  startNamespaceHarness,
} from "./testing/service-harness.js";

/**
 * A store written before the label index existed has documents and no index rows: the service
 * indexes them when it starts, so a taxonomy change still sees the labels those documents carry.
 */
const admin = adminCaller();
const call = <C, Req, Res>(client: C, method: (client: C) => UnaryInvoker<Req, Res>, request: Req) =>
  callAs(admin, client, method, request);

let dataDir: TempDir;
let h: NamespaceHarness | undefined;

beforeAll(async () => {
  dataDir = await tempDir("namespace-label-index");
});
afterAll(async () => {
  await h?.close();
  await dataDir?.remove();
});

describe("the label index of an older store", () => {
  it("is built when the service starts", async () => {
    const env = { STRATA_DATA_DIR: dataDir.path };
    const first = await startNamespaceHarness(env);
    h = first;
    const namespaceId =
      must(await call(first.client, (c) => c.createNamespace, { namespaceName: "old", description: "" }))
        .namespace?.namespaceId ?? "";
    const collectionId =
      must(
        await call(
          first.collections,
          (c) => c.createCollection,
          collectionV1.CreateCollectionRequest.fromPartial({
            namespaceId,
            collectionName: "c",
            features: [
              {
                featureUri: "strata://e@v1/o",
                dimensions: 2,
                metric: collectionV1.DistanceMetric.DISTANCE_METRIC_COSINE,
              },
            ],
          }),
        ),
      ).collection?.collectionId ?? "";
    const taxonomyId =
      must(
        await call(
          first.taxonomies,
          (c) => c.createTaxonomy,
          taxonomyV1.CreateTaxonomyRequest.fromPartial({
            namespaceId,
            taxonomyName: "kinds",
            nodes: [{ label: "kept" }, { label: "carried" }, { label: "free" }],
          }),
        ),
      ).taxonomy?.taxonomyId ?? "";
    must(
      await call(
        first.documents,
        (c) => c.createDocument,
        documentV1.CreateDocumentRequest.fromPartial({
          namespaceId,
          collectionIdentifier: collectionId,
          documentId: "labelled",
          taxonomyLabels: [{ taxonomyId, label: "carried" }],
        }),
      ),
    );
    await first.close();
    h = undefined;

    // What a store of the previous version holds: the document, but neither index rows nor backfill.
    const store = openSqliteDocStore({ path: join(dataDir.path, "namespace.db") });
    expect(await store.table(DOCUMENT_LABELS_TABLE).deleteMany({})).toBe(1);
    await store.table(DOCUMENT_LABELS_BACKFILL_TABLE).deleteMany({});
    await store.close();

    const second = await startNamespaceHarness(env);
    h = second;
    const update = (labels: readonly string[]) =>
      call(second.taxonomies, (c) => c.updateTaxonomy, {
        namespaceId,
        identifier: taxonomyId,
        nodes: { nodes: labels.map((label) => ({ label })) },
      });
    const refused = await update(["kept", "free"]);
    expect(refused.ok ? "accepted" : refused.error.kind).toBe("validation");
    expect(JSON.stringify(refused.ok ? {} : refused.error.details)).toContain(
      `collections.${collectionId}.documents.labelled`,
    );
    const trimmed = must(await update(["kept", "carried"]));
    expect(trimmed.taxonomy?.nodes.map((n) => n.label)).toEqual(["kept", "carried"]);
  }, 60_000);
});
