// Standalone composition root: `node --import tsx services/acl-query/src/main.ts` (one acl-query replica per process).
import { runStandalone } from "@strata/service-kit";
import { loadAclQueryConfig } from "./config.js";
import { startAclQueryService } from "./start.js";

await runStandalone({ service: "acl-query", loadConfig: loadAclQueryConfig, start: startAclQueryService });
