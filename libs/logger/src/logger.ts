import { type DestinationStream, type Logger, pino } from "pino";
import { REDACT_PATHS, REDACTED, redactSecrets } from "./redact.js";

export type { DestinationStream, Logger } from "pino";

export interface LoggerOptions {
  /** Written as the `service` field of every record. */
  readonly service: string;
  /** A pino level name; defaults to "info". */
  readonly level?: string;
  /** Where the JSON lines go; defaults to stdout. Tests pass a stream to read the output. */
  readonly destination?: DestinationStream;
  /**
   * Extra fields computed for every record, e.g. `() => ({ trace_id: currentTraceId() })` from
   * @strata/telemetry for log/trace correlation (undefined values are left out).
   */
  readonly mixin?: () => Record<string, unknown>;
}

/**
 * A structured JSON logger. Known secret fields are censored by pino's `redact`; in addition every
 * finished line is scrubbed of `sk_live_…` substrings, wherever they hide (message, nested field,
 * error message or stack), because a key pasted into a free-text field has no known path.
 */
export function createLogger(options: LoggerOptions): Logger {
  const destination = options.destination ?? pino.destination({ dest: 1, sync: true });
  return pino(
    {
      level: options.level ?? "info",
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        // A level name reads better than pino's number in log search tools.
        level: (label) => ({ level: label }),
      },
      redact: { paths: [...REDACT_PATHS], censor: REDACTED },
      ...(options.mixin === undefined ? {} : { mixin: options.mixin }),
    },
    scrubbingStream(destination),
  );
}

interface FlushableStream extends DestinationStream {
  flush?: (callback?: (error?: Error) => void) => void;
  flushSync?: () => void;
}

function scrubbingStream(destination: FlushableStream): FlushableStream {
  return {
    write(line: string): void {
      destination.write(redactSecrets(line));
    },
    // logger.flush() reaches the real destination (a sonic-boom on stdout buffers).
    flush(callback?: (error?: Error) => void): void {
      if (destination.flush) destination.flush(callback);
      else callback?.();
    },
    flushSync(): void {
      destination.flushSync?.();
    },
  };
}
