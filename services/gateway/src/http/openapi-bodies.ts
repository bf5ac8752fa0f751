// Request bodies a route takes besides JSON, which its zod schema (JSON only) cannot describe.
import { NDJSON_TYPE } from "../routes/ndjson-batch.js";
import { type Json, operationsOf } from "./openapi-names.js";

const NDJSON_BATCH = {
  type: "string",
  contentMediaType: NDJSON_TYPE,
  description:
    "Newline-delimited JSON: one document per line, each shaped like an item of `documents` in the JSON body " +
    "(vectors as arrays of numbers or `vector_b64`). Blank lines are skipped. A line that is not a JSON object " +
    "answers 400 naming the line; an item's problems answer 422 at `body.documents[i]` " +
    "(the i-th document from 0, blank lines not counted).",
};

export function documentAlternateBodies(doc: Json): void {
  for (const { operation } of operationsOf(doc)) {
    if (operation.operationId !== "createBatch") continue;
    const content = (operation.requestBody as Json | undefined)?.content as Json | undefined;
    if (content !== undefined) content[NDJSON_TYPE] = { schema: NDJSON_BATCH };
  }
}
