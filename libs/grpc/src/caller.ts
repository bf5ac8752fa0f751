import { type Caller, PERMISSIONS } from "@strata/access";
import { z } from "zod";

/**
 * How the verified caller travels in gRPC metadata. Services trust it only on calls that also
 * carry the internal token (see internal-auth.ts).
 */
export const CALLER_METADATA_KEY = "x-strata-caller";
export const INTERNAL_TOKEN_METADATA_KEY = "x-strata-internal-token";

const callerSchema = z.object({
  organizationId: z.string().min(1),
  keyId: z.string().min(1),
  permissions: z.array(z.enum(PERMISSIONS)),
  namespaces: z.array(z.string()),
  principalId: z.string().optional(),
  roles: z.array(z.string()),
  attributes: z.record(z.string(), z.unknown()),
  visibility: z.object({ namespaceId: z.string(), filter: z.unknown() }).optional(),
});

export function encodeCaller(caller: Caller): string {
  return Buffer.from(JSON.stringify(caller), "utf8").toString("base64url");
}

export function decodeCaller(value: string): Caller | undefined {
  try {
    const parsed = callerSchema.safeParse(JSON.parse(Buffer.from(value, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
