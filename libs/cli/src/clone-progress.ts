import type { Schemas } from "@strata/sdk";

type CloneStatus = Schemas["CloneStatus"];

/** The kinds each copy step reports when done, in the order the copy runs them (ADR 0024). */
const STEPS = ["collections", "documents", "taxonomies", "buckets"] as const;
const BAR_WIDTH = 24;

/** "collections 2 · documents 1,000 · hot_vectors 1,000 · …", the kinds copied so far. */
export function progressCounts(status: CloneStatus): string {
  const parts = Object.entries(status.progress)
    .filter(([, value]) => value > 0)
    .map(([kind, value]) => `${kind} ${kind === "bytes" ? formatBytes(value) : value.toLocaleString("en")}`);
  if (parts.length > 0) return parts.join(" · ");
  return status.status === "cloning" ? "starting" : "nothing copied is kept";
}

/**
 * One line of a terminal's progress bar. A clone does not know its totals up front, so the bar
 * fills by the copy's steps that have reported (a ready clone is full).
 */
export function progressBar(status: CloneStatus): string {
  const done =
    status.status === "ready" ? STEPS.length : STEPS.filter((kind) => status.progress[kind] !== 0).length;
  const filled = Math.round((done / STEPS.length) * BAR_WIDTH);
  return `[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}] ${status.status} ${progressCounts(status)}`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

/** Draws progress on standard error: a bar redrawn in place on a terminal, a line per change elsewhere. */
export class CloneProgressDisplay {
  private last = "";

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  show(status: CloneStatus): void {
    if (this.stream.isTTY === true) {
      this.stream.write(`\r\u001b[2K${progressBar(status)}`);
      return;
    }
    const line = `${status.status}: ${progressCounts(status)}`;
    if (line !== this.last) this.stream.write(`${line}\n`);
    this.last = line;
  }

  /** Ends the bar's line so the next output starts on its own. */
  finish(status: CloneStatus): void {
    this.show(status);
    if (this.stream.isTTY === true) this.stream.write("\n");
  }
}
