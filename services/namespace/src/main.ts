// Standalone composition root: `node --import tsx services/namespace/src/main.ts` (one namespace replica per process).
import { runStandalone } from "@strata/service-kit";
import { loadNamespaceConfig } from "./config.js";
import { startNamespaceService } from "./start.js";

await runStandalone({ service: "namespace", loadConfig: loadNamespaceConfig, start: startNamespaceService });
