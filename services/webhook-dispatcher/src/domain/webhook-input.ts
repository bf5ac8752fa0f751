import { MAX_WEBHOOK_RATE_PER_SECOND } from "@strata/contracts";
import { type AppError, type ValidationIssue, validationFailed } from "@strata/errors";
import { isInternalEventType } from "@strata/events";
import { isEventPattern } from "./event-patterns.js";
import type { UrlRefusal } from "./ports.js";

export interface WebhookFields {
  readonly name?: string | undefined;
  readonly url?: string | undefined;
  readonly events?: readonly string[] | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly namespaces?: readonly string[] | undefined;
  readonly rateLimitPerSecond?: number | null | undefined;
}

/** Beyond this an endpoint is effectively unlimited: the per-endpoint concurrency bounds it first. */
export const MAX_RATE_LIMIT = MAX_WEBHOOK_RATE_PER_SECOND;
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const HEADER_NAME = /^[A-Za-z0-9-]{1,64}$/;
// Headers the dispatcher sets itself or the HTTP layer owns.
const RESERVED_HEADER = /^(webhook-|content-length$|host$|transfer-encoding$|connection$|content-type$)/i;

/** Checks the fields given (create gives all, update some); a literal blocked address is refused. */
export function checkWebhookFields(fields: WebhookFields, refuseUrl: UrlRefusal): AppError | undefined {
  const issues: ValidationIssue[] = [];
  const issue = (location: string, message: string) =>
    issues.push({ location: `body.${location}`, message, type: "value_error" });
  if (fields.name !== undefined && !NAME.test(fields.name))
    issue("webhook_name", "1–128 letters, digits, '_', '.', '-', starting with a letter or digit");
  if (fields.url !== undefined) checkUrl(fields.url, refuseUrl, issue);
  if (fields.events !== undefined) {
    if (fields.events.length === 0 || fields.events.length > 50) issue("events", "Give 1 to 50 event types");
    fields.events.forEach((e, i) => {
      if (!isEventPattern(e)) issue(`events[${i}]`, `'${e}' is not an event type or a 'prefix.*' pattern`);
      else if (isInternalEventType(e)) issue(`events[${i}]`, `'${e}' is internal: no webhook receives it`);
    });
  }
  if (fields.headers !== undefined) {
    const names = Object.keys(fields.headers);
    if (names.length > 20) issue("headers", "At most 20 custom headers");
    for (const name of names) {
      if (!HEADER_NAME.test(name) || RESERVED_HEADER.test(name))
        issue(`headers.${name}`, "Not an allowed header name");
      else if ((fields.headers[name] ?? "").length > 1024 || /[\r\n]/.test(fields.headers[name] ?? ""))
        issue(`headers.${name}`, "At most 1024 characters, one line");
    }
  }
  const rate = fields.rateLimitPerSecond;
  if (rate !== undefined && rate !== null && (!Number.isInteger(rate) || rate < 1 || rate > MAX_RATE_LIMIT))
    issue("rate_limit_per_second", `A whole number of sends per second from 1 to ${MAX_RATE_LIMIT}, or null`);
  if (fields.namespaces !== undefined && fields.namespaces.length > 100)
    issue("namespaces", "At most 100 namespaces");
  return issues.length === 0 ? undefined : validationFailed(issues);
}

function checkUrl(raw: string, refuseUrl: UrlRefusal, issue: (location: string, message: string) => void) {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    issue("url", "Not a URL");
    return;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") issue("url", "Only http and https URLs");
  else if (raw.length > 2048) issue("url", "At most 2048 characters");
  else if (url.username !== "" || url.password !== "") issue("url", "Credentials in the URL are not allowed");
  else {
    const refusal = refuseUrl(url);
    if (refusal !== undefined) issue("url", refusal);
  }
}
