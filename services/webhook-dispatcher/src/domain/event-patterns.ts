/** Event names are `word.word`; a pattern is a name, `word.*`, or `*` for every event. */
const PATTERN = /^(\*|[a-z_]+\.(\*|[a-z_]+))$/;

export function isEventPattern(value: string): boolean {
  return PATTERN.test(value);
}

/** Whether an event type is one a webhook subscribed to. */
export function matchesAnyPattern(type: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => {
    if (pattern === "*") return true;
    if (pattern.endsWith(".*")) return type.startsWith(pattern.slice(0, -1));
    return pattern === type;
  });
}
