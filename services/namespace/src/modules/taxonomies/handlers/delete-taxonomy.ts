import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { taxonomyV1 } from "@strata/proto";
import { deleteTaxonomy } from "../change-taxonomy.js";
import type { TaxonomyPorts } from "../ports.js";
import { taxonomyToProto } from "./taxonomy-mapping.js";

export function deleteTaxonomyHandler(
  ports: TaxonomyPorts,
): UnaryHandlerWithCaller<taxonomyV1.DeleteTaxonomyRequest, taxonomyV1.DeleteTaxonomyResponse> {
  return async (request, { caller }) => {
    const result = await deleteTaxonomy(ports, caller, request.namespaceId, request.identifier);
    return result.ok ? ok({ taxonomy: taxonomyToProto(result.value) }) : result;
  };
}
