import { err, ok } from "@strata/errors";
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import type { DocumentParser, ParsedDocument } from "../../domain/ports.js";

/** YAML (1.2, one document) or JSON; YAML keeps each node's position for line and column in problems. */
export const parseManifestDocument: DocumentParser = (text, format) => {
  if (format === "json") {
    try {
      const value: unknown = JSON.parse(text);
      return ok({ value, locate: () => undefined });
    } catch (exception: unknown) {
      return err({ message: exception instanceof Error ? exception.message : "not JSON" });
    }
  }
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const first = document.errors[0];
  if (first !== undefined) {
    const at = lines.linePos(first.pos[0]);
    return err({ message: first.message.split("\n")[0] ?? first.message, line: at.line, column: at.col });
  }
  const parsed: ParsedDocument = {
    value: document.toJS({ maxAliasCount: 100 }) as unknown,
    // A map entry is located at its key (where the field is written), a list item at the item.
    locate(path) {
      let node: unknown = document.contents;
      let last: Node | undefined = isNode(node) ? node : undefined;
      for (const part of path) {
        if (isMap(node)) {
          const pair = node.items.find(
            (item) => isScalar(item.key) && String(item.key.value) === String(part),
          );
          if (pair === undefined) break;
          if (isNode(pair.key)) last = pair.key;
          node = pair.value;
        } else if (isSeq(node) && typeof part === "number") {
          node = node.items[part];
          if (isNode(node)) last = node;
          else break;
        } else break;
      }
      const offset = last?.range?.[0];
      if (offset === undefined) return undefined;
      const at = lines.linePos(offset);
      return { line: at.line, column: at.col };
    },
  };
  return ok(parsed);
};

function isNode(value: unknown): value is Node {
  return isMap(value) || isSeq(value) || isScalar(value);
}
