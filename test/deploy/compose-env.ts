import { natsPasswordVariableOf, SERVICE_NAMES } from "@strata/platform";

/** What `docker compose up` needs from the shell: the internal token, the NATS passwords, the S3 keys. */
export const COMPOSE_ENV: Readonly<Record<string, string>> = {
  STRATA_INTERNAL_TOKEN: "test-token-0123456789abcdefghijklmnopqrstuvwxyz",
  STRATA_WEBHOOK_SECRET_KEY: "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
  STRATA_S3_ACCESS_KEY_ID: "strata",
  STRATA_S3_SECRET_ACCESS_KEY: "minio-secret-0123",
  ...Object.fromEntries(SERVICE_NAMES.map((s) => [natsPasswordVariableOf(s), `nats-password-of-${s}`])),
};
