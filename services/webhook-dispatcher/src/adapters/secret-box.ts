import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SecretSealer } from "../domain/ports.js";

const KEY_FILE = "webhook-secrets.key";

/**
 * AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>` in base64url. A copied store without the key reveals
 * no signing secret.
 */
export function createSecretBox(key: Buffer): SecretSealer {
  if (key.length !== 32) throw new Error("the webhook secret key must be 32 bytes");
  return {
    seal(secret) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const sealed = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
      return ["v1", iv, cipher.getAuthTag(), sealed]
        .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
        .join(".");
    },
    open(sealed) {
      const [version, iv, tag, data] = sealed.split(".");
      if (version !== "v1" || iv === undefined || tag === undefined || data === undefined)
        throw new Error("not a sealed webhook secret");
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString(
        "utf8",
      );
    },
  };
}

/**
 * The key: WEBHOOK_SECRET_KEY (base64, 32 bytes) when set, else a file in the data directory
 * created on first start (mode 0600). Replicas sharing a data directory race on the exclusive
 * create: the loser reads the winner's key.
 */
export function loadSecretKey(configured: string | undefined, dataDir: string): Buffer {
  if (configured !== undefined) return Buffer.from(configured, "base64");
  const file = join(dataDir, KEY_FILE);
  try {
    writeFileSync(file, randomBytes(32).toString("base64"), { flag: "wx", mode: 0o600 });
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return Buffer.from(readFileSync(file, "utf8").trim(), "base64");
}
