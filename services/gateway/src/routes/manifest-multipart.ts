import {
  type AppError,
  badRequest,
  err,
  ok,
  type Result,
  type ValidationIssue,
  validationFailed,
} from "@strata/errors";
import { multipartFields } from "../http/multipart-fields.js";

const FLAGS = ["prune", "dry_run"] as const;
const KNOWN = new Set(["manifest_file", "secrets", "expected_plan_hash", ...FLAGS]);

/**
 * A multipart manifest body in the shape of the JSON body. A body that is not multipart at all is
 * a 400 saying so; well-formed parts with problems (no `manifest_file`, an unknown part, `secrets`
 * that is not a JSON object, a flag that is not true/false) are one 422 listing every problem.
 */
export function manifestBodyOfMultipart(
  body: Buffer,
  contentType: string,
): Result<Record<string, unknown>, AppError> {
  const fields = multipartFields(body, contentType);
  if (fields === undefined)
    return err(
      badRequest(
        "The multipart body is not well-formed: it needs a boundary in Content-Type, parts each with a Content-Disposition name, and a closing delimiter",
      ),
    );
  const issues: ValidationIssue[] = [];
  const refuse = (field: string, type: string, message: string) =>
    issues.push({ location: `body.${field}`, type, message });
  for (const name of fields.keys())
    if (!KNOWN.has(name))
      refuse(
        name,
        "unknown_field",
        `unknown part '${name}': expected manifest_file, secrets, prune, dry_run or expected_plan_hash`,
      );
  const manifest = fields.get("manifest_file");
  if (manifest === undefined)
    refuse("manifest_file", "missing", "a multipart body needs a `manifest_file` part holding the manifest");
  else if (manifest.trim() === "") refuse("manifest_file", "too_small", "`manifest_file` is empty");
  const out: Record<string, unknown> = { manifest };
  const secrets = fields.get("secrets");
  if (secrets !== undefined) {
    const parsed = jsonOrUndefined(secrets);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
      refuse("secrets", "invalid_type", "`secrets` must be a JSON object of secret names to values");
    else out.secrets = parsed;
  }
  for (const flag of FLAGS) {
    const value = fields.get(flag);
    if (value === undefined) continue;
    if (value !== "true" && value !== "false")
      refuse(flag, "invalid_value", `\`${flag}\` must be true or false`);
    else out[flag] = value === "true";
  }
  const hash = fields.get("expected_plan_hash");
  if (hash !== undefined) out.expected_plan_hash = hash;
  return issues.length > 0 ? err(validationFailed(issues)) : ok(out);
}

function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
