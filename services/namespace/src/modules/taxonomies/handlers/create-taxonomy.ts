import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { taxonomyV1 } from "@strata/proto";
import { createTaxonomy } from "../create-taxonomy.js";
import type { TaxonomyPorts } from "../ports.js";
import { nodesFromProto, taxonomyToProto } from "./taxonomy-mapping.js";

export function createTaxonomyHandler(
  ports: TaxonomyPorts,
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
