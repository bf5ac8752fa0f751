import type { namespaceV1 } from "@strata/proto";
import type { NamespaceRecord } from "../tables.js";

export function namespaceToProto(ns: NamespaceRecord): namespaceV1.Namespace {
  return {
    namespaceId: ns.id,
    organizationId: ns.organization_id,
    namespaceName: ns.namespace_name,
    description: ns.description,
    createdAt: new Date(ns.created_at),
    updatedAt: new Date(ns.updated_at),
  };
}
