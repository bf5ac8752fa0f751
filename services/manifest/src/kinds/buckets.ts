import { ok } from "@strata/errors";
import { z } from "zod";
import { done, eachDone, listEveryPage, type OwningServices } from "../adapters/grpc/owning-services.js";
import type { ResourceKind, Spec } from "../domain/ports.js";

const schema = z.strictObject({ description: z.string().max(1024).default("") });

/** Buckets (namespace service). A new description is updated in place: a bucket is never replaced. */
export function bucketKind(services: OwningServices): ResourceKind {
  const client = services.bucket;
  return {
    section: "buckets",
    order: 10,
    schema,
    replaceReason: () => undefined,
    references: () => [],
    list: ({ caller, namespaceId }) =>
      listEveryPage(async (cursor) => {
        const page = await client.listBuckets({ namespaceId, limit: 100, cursor }, { caller });
        if (!page.ok) return page;
        const items = page.value.buckets.map((b) => ({
          name: b.bucketName,
          spec: { description: b.description },
        }));
        return ok({ items, next: page.value.nextCursor });
      }),
    create: async ({ caller, namespaceId }, name, spec) =>
      done(await client.createBucket({ namespaceId, ...requestOf(name, spec) }, { caller })),
    createMany: async ({ caller, namespaceId }, resources) =>
      eachDone(
        await client.createBuckets(
          {
            namespaceId,
            buckets: resources.map(({ name, spec }) => ({ namespaceId: "", ...requestOf(name, spec) })),
          },
          { caller },
        ),
      ),
    update: async ({ caller, namespaceId }, name, _before, after) =>
      done(
        await client.updateBucket(
          { namespaceId, identifier: name, description: String(after.description ?? "") },
          { caller },
        ),
      ),
    remove: async ({ caller, namespaceId }, name) =>
      done(await client.deleteBucket({ namespaceId, identifier: name }, { caller })),
  };
}

function requestOf(name: string, spec: Spec): { bucketName: string; description: string } {
  return { bucketName: name, description: String(spec.description ?? "") };
}
