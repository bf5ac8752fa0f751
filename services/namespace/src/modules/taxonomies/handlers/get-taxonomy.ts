import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { taxonomyV1 } from "@strata/proto";
import type { TaxonomyPorts } from "../ports.js";
import { getTaxonomy } from "../read-taxonomies.js";
import { taxonomyToProto } from "./taxonomy-mapping.js";

export function getTaxonomyHandler(
  ports: TaxonomyPorts,
): UnaryHandlerWithCaller<taxonomyV1.GetTaxonomyRequest, taxonomyV1.GetTaxonomyResponse> {
  return async (request, { caller }) => {
    const result = await getTaxonomy(ports, caller, request.namespaceId, request.identifier);
    return result.ok ? ok({ taxonomy: taxonomyToProto(result.value) }) : result;
  };
}
