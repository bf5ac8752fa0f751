import { unaryWithCaller } from "@strata/grpc";
import { taxonomyV1 } from "@strata/proto";
import type { NamespaceModule } from "../../module.js";
import { cleanUpClonedTaxonomies, cloneTaxonomies } from "./clone.js";
import { createTaxonomyHandler } from "./handlers/create-taxonomy.js";
import { deleteTaxonomyHandler } from "./handlers/delete-taxonomy.js";
import { getTaxonomyHandler } from "./handlers/get-taxonomy.js";
import { listTaxonomiesHandler } from "./handlers/list-taxonomies.js";
import { updateTaxonomyHandler } from "./handlers/update-taxonomy.js";
import type { TaxonomyPorts } from "./ports.js";
import { purgeTaxonomies } from "./purge.js";
import { TAXONOMY_TABLE_SPECS } from "./tables.js";

export const TAXONOMY_SERVICE_NAME = "strata.namespace.v1.TaxonomyService";

/** Taxonomies: label forests that documents carry labels of and filters expand. */
export const taxonomiesModule: NamespaceModule<TaxonomyPorts> = {
  name: "taxonomies",
  tables: TAXONOMY_TABLE_SPECS,
  clone: cloneTaxonomies,
  cloneCleanUp: cleanUpClonedTaxonomies,
  services: (ports) => [
    {
      name: TAXONOMY_SERVICE_NAME,
      definition: taxonomyV1.TaxonomyServiceService,
      implementation: {
        createTaxonomy: unaryWithCaller(createTaxonomyHandler(ports)),
        getTaxonomy: unaryWithCaller(getTaxonomyHandler(ports)),
        listTaxonomies: unaryWithCaller(listTaxonomiesHandler(ports)),
        updateTaxonomy: unaryWithCaller(updateTaxonomyHandler(ports)),
        deleteTaxonomy: unaryWithCaller(deleteTaxonomyHandler(ports)),
      } satisfies taxonomyV1.TaxonomyServiceServer,
    },
  ],
  purge: purgeTaxonomies,
};
