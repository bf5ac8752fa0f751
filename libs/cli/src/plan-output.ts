/** ANSI colours for a plan's lines, only for a terminal and never when NO_COLOR is set. */
export function colourEnabled(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === "");
}

const GREEN = "\u001b[32m";
const YELLOW = "\u001b[33m";
const RED = "\u001b[31m";
const MAGENTA = "\u001b[35m";
const RESET = "\u001b[0m";

/** The plan text as the service wrote it (`+ ~ -/+ -` per line), coloured by its symbol. */
export function renderPlan(planText: string, colour: boolean): string {
  if (!colour) return planText;
  return planText
    .split("\n")
    .map((line) => {
      const code = line.startsWith("-/+ ")
        ? MAGENTA
        : line.startsWith("+ ")
          ? GREEN
          : line.startsWith("~ ")
            ? YELLOW
            : line.startsWith("- ")
              ? RED
              : undefined;
      return code === undefined ? line : `${code}${line}${RESET}`;
    })
    .join("\n");
}
