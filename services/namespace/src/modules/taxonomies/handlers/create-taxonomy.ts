import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { taxonomyV1 } from "@strata/proto";
import type { DataPorts } from "../../../domain/data-ports.js";
import { createTaxonomy } from "../create-taxonomy.js";
import { nodesFromProto, taxonomyToProto } from "./taxonomy-mapping.js";

export function createTaxonomyHandler(
  ports: DataPorts,
): UnaryHandlerWithCaller<taxonomyV1.CreateTaxonomyRequest, taxonomyV1.CreateTaxonomyResponse> {
  return async (request, { caller }) => {
    const result = await createTaxonomy(ports, caller, request.namespaceId, {
      taxonomyName: request.taxonomyName,
      description: request.description,
      nodes: nodesFromProto(request.nodes),
    });
    return result.ok ? ok({ taxonomy: taxonomyToProto(result.value) }) : result;
  };
}
