// Standalone composition root: `node --import tsx services/auth/src/main.ts` (one auth replica per process).
import { runStandalone } from "@strata/service-kit";
import { loadAuthConfig } from "./config.js";
import { startAuthService } from "./start.js";

await runStandalone({ service: "auth", loadConfig: loadAuthConfig, start: startAuthService });
