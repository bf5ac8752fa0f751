import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { taxonomyV1 } from "@strata/proto";
import { DATA_LIST_LIMIT_DEFAULT } from "../../../shared/namespace-scope.js";
import type { TaxonomyPorts } from "../ports.js";
import { listTaxonomies } from "../read-taxonomies.js";
import { taxonomyToProto } from "./taxonomy-mapping.js";

export function listTaxonomiesHandler(
  ports: TaxonomyPorts,
): UnaryHandlerWithCaller<taxonomyV1.ListTaxonomiesRequest, taxonomyV1.ListTaxonomiesResponse> {
  return async (request, { caller }) => {
    const result = await listTaxonomies(ports, caller, request.namespaceId, {
      limit: request.limit === 0 ? DATA_LIST_LIMIT_DEFAULT : request.limit,
      cursor: request.cursor === "" ? undefined : request.cursor,
    });
    if (!result.ok) return result;
    return ok({
      taxonomies: result.value.taxonomies.map(taxonomyToProto),
      nextCursor: result.value.nextCursor ?? "",
    });
  };
}
