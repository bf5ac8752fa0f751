import { readFile } from "node:fs/promises";

/** The manifest's text from a file, or from standard input when the file is `-`. */
export async function readManifestFile(path: string): Promise<string> {
  if (path !== "-") return readFile(path, "utf8");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString("utf8");
}

/** `--secret NAME=VALUE`, repeatable: the values of `${{ secrets.NAME }}` references. */
export function collectSecret(entry: string, secrets: Record<string, string>): Record<string, string> {
  const at = entry.indexOf("=");
  if (at <= 0) throw new Error(`--secret takes NAME=VALUE, got '${entry.slice(0, 40)}'`);
  return { ...secrets, [entry.slice(0, at)]: entry.slice(at + 1) };
}
