import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { taxonomyV1 } from "@strata/proto";
import { updateTaxonomy } from "../change-taxonomy.js";
import type { TaxonomyPorts } from "../ports.js";
import { nodesFromProto, taxonomyToProto } from "./taxonomy-mapping.js";

export function updateTaxonomyHandler(
  ports: TaxonomyPorts,
): UnaryHandlerWithCaller<taxonomyV1.UpdateTaxonomyRequest, taxonomyV1.UpdateTaxonomyResponse> {
  return async (request, { caller }) => {
    const result = await updateTaxonomy(ports, caller, request.namespaceId, request.identifier, {
      taxonomyName: request.taxonomyName,
      description: request.description,
      nodes: request.nodes === undefined ? undefined : nodesFromProto(request.nodes.nodes),
    });
    return result.ok ? ok({ taxonomy: taxonomyToProto(result.value) }) : result;
  };
}
