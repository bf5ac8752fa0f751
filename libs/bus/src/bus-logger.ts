/**
 * The logging surface the bus needs: pino's `(object, message)` call shape, so a pino logger (or a
 * child of one) fits as is and tests can pass a small recorder.
 */
export interface BusLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export function describeError(error: unknown): { err: string } {
  return { err: error instanceof Error ? error.message : String(error) };
}
