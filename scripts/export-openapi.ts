// Writes the gateway's OpenAPI document (what /v1/openapi.json serves) to the file named by argv[2].
import { writeFileSync } from "node:fs";
import { buildOpenApiDocument } from "../services/gateway/src/openapi-document.js";

const target = process.argv[2];
if (target === undefined) throw new Error("usage: export-openapi.ts <file>");
writeFileSync(target, `${JSON.stringify(await buildOpenApiDocument(), null, 2)}\n`);
