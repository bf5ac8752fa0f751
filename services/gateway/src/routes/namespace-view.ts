import type { namespaceV1 } from "@strata/proto";
import { z } from "zod";
import { isoOrNull, timestamp } from "./common.js";

export const namespaceSchema = z
  .object({
    namespace_id: z.string(),
    namespace_name: z.string(),
    description: z.string(),
    organization_id: z.string(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: "Namespace" });

export type NamespaceView = z.infer<typeof namespaceSchema>;

export function namespaceView(namespace: namespaceV1.Namespace | undefined): NamespaceView {
  if (namespace === undefined) throw new Error("the namespace service answered without a namespace");
  const created = isoOrNull(namespace.createdAt) ?? new Date(0).toISOString();
  return {
    namespace_id: namespace.namespaceId,
    namespace_name: namespace.namespaceName,
    description: namespace.description,
    organization_id: namespace.organizationId,
    created_at: created,
    updated_at: isoOrNull(namespace.updatedAt) ?? created,
  };
}
