/**
 * Secret scrubbing shared by the logger and anything else that prints text it did not write
 * (error messages from clients, upstream bodies).
 */

// API keys are `sk_live_` + base58 + checksum; matching any word characters after the prefix also
// catches truncated or malformed keys, which are just as sensitive.
const API_KEY_PATTERN = /sk_live_[A-Za-z0-9_-]*/g;
const API_KEY_PREFIX = "sk_live_";
export const REDACTED_API_KEY = "sk_live_…[redacted]";
export const REDACTED = "[redacted]";

/** Replaces every `sk_live_…` substring, keeping nothing of the secret but its prefix. */
export function redactSecrets(text: string): string {
  if (!text.includes(API_KEY_PREFIX)) return text;
  return text.replace(API_KEY_PATTERN, REDACTED_API_KEY);
}

/**
 * Paths pino censors wherever a record carries them. `*.x` matches one level down only, so the
 * top-level names are listed as well.
 */
export const REDACT_PATHS: readonly string[] = [
  "authorization",
  "api_key",
  "apiKey",
  "secret",
  "token",
  "password",
  "internalToken",
  "*.authorization",
  "*.api_key",
  "*.apiKey",
  "*.secret",
  "*.token",
  "*.password",
  "*.internalToken",
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-strata-internal-token"]',
  "headers.authorization",
  'headers["x-strata-internal-token"]',
  '*.headers["x-strata-internal-token"]',
  "*.headers.authorization",
  'metadata["x-strata-internal-token"]',
  '*.metadata["x-strata-internal-token"]',
];
