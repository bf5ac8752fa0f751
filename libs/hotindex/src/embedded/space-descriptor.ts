import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { HotSpace } from "../port.js";
import { validateSpace } from "../validate.js";
import { writeFileAtomically } from "./durable-file.js";

const SPACE_FILE = "space.json";

/**
 * Records which space a directory holds, atomically: a process killed part-way leaves no
 * descriptor or a whole one, never an empty or torn file that would stop the next start.
 */
export function writeSpaceDescriptor(dir: string, space: HotSpace): void {
  writeFileAtomically(join(dir, SPACE_FILE), JSON.stringify(space));
}

/**
 * The space a directory holds, or undefined when it holds none: the descriptor is written before
 * the space takes its first write, so a directory without a valid one has no data to lose.
 */
export async function readSpaceDescriptor(dir: string): Promise<HotSpace | undefined> {
  const text = await readFile(join(dir, SPACE_FILE), "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  let space: unknown;
  try {
    space = JSON.parse(text);
  } catch {
    return undefined;
  }
  return isSpace(space) && validateSpace(space).ok ? space : undefined;
}

function isSpace(value: unknown): value is HotSpace {
  if (typeof value !== "object" || value === null) return false;
  const { namespaceId, featureUri, dimensions, metric } = value as Record<string, unknown>;
  return (
    typeof namespaceId === "string" &&
    typeof featureUri === "string" &&
    typeof dimensions === "number" &&
    typeof metric === "string"
  );
}
