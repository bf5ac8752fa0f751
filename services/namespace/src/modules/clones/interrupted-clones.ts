import type { ClonePorts } from "./ports.js";
import { cleanUpAndEnd } from "./run-clone.js";
import { type CloneRecord, NAMESPACE_CLONES_TABLE } from "./tables.js";

/**
 * At start-up: clones a stopped process left running fail cleanly. They cannot resume: their
 * snapshot lived in the stopped process's memory, and a new one would not be the point in time the
 * clone was accepted at (ADR 0024, 0029). Their reserved namespace, committed pages, vectors of every
 * tier and copied object bytes go. Says how many there were.
 */
export async function failInterruptedClones(ports: ClonePorts): Promise<number> {
  const interrupted = await ports.store
    .table<CloneRecord>(NAMESPACE_CLONES_TABLE)
    .find({ where: { status: "cloning" } });
  for (const { record } of interrupted) {
    await cleanUpAndEnd(
      ports,
      record,
      "failed",
      "The service stopped during the copy; nothing of it was kept",
    );
  }
  return interrupted.length;
}
