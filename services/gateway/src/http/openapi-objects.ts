// The object routes in the OpenAPI document. The server matches them with a wildcard (`/*`, so a
// key may hold literal '/'), which OpenAPI cannot template; the document names it `{key}` and says
// to send '/' as %2F, which the same route accepts. Their bodies are raw bytes, not JSON, so the
// upload body and the download answer are described here rather than by a zod schema.
import { type Json, operationsOf } from "./openapi-names.js";

const KEY_NOTE =
  "A '/' inside the key is sent as %2F (as generated clients do); the server also accepts it literally.";
const BYTES = { type: "string", contentMediaType: "application/octet-stream" };
const header = (name: string) => ({ $ref: `#/components/headers/${name}` });
const OBJECT_HEADERS = {
  ETag: header("ETag"),
  "X-Checksum-Sha256": header("XChecksumSha256"),
  "Last-Modified": header("LastModified"),
  "Content-Length": header("ContentLength"),
};

export function documentObjectRoutes(doc: Json): void {
  const paths = doc.paths as Record<string, Json>;
  for (const path of Object.keys(paths)) {
    if (!path.includes("{*}")) continue;
    const renamed = path.replace("{*}", "{key}");
    paths[renamed] = paths[path] as Json;
    delete paths[path];
  }
  for (const { path, operation } of operationsOf(doc)) {
    if (!path.includes("{key}")) continue;
    for (const parameter of operation.parameters ?? []) {
      if (parameter.in === "path" && parameter.name === "*") {
        parameter.name = "key";
        parameter.description = `${String(parameter.description ?? "The object key")} ${KEY_NOTE}`;
      }
    }
    const ok = operation.responses?.["200"];
    switch (operation.operationId) {
      case "putObject":
        // The Content-Type of the body is what the object is stored (and later served) with.
        operation.parameters = (operation.parameters ?? []).filter((p) => p.name !== "content-type");
        operation.requestBody = {
          required: true,
          description:
            "The object's bytes; their Content-Type is stored with them (application/octet-stream when absent)",
          content: { "application/octet-stream": { schema: BYTES }, "*/*": { schema: BYTES } },
        };
        break;
      case "getObject":
        if (ok !== undefined) {
          ok.description = "The object's bytes, under the Content-Type it was stored with";
          ok.content = { "*/*": { schema: BYTES } };
          ok.headers = { ...OBJECT_HEADERS, ...((ok.headers as Json | undefined) ?? {}) };
        }
        break;
      case "headObject":
        if (ok !== undefined) {
          ok.description = "The object's Content-Type, Content-Length, ETag and checksum, without its bytes";
          delete ok.content;
          ok.headers = { ...OBJECT_HEADERS, ...((ok.headers as Json | undefined) ?? {}) };
        }
        break;
      default:
        break;
    }
  }
}
