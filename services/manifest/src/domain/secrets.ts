type Path = readonly (string | number)[];

const SECRET_REFERENCE = /\$\{\{\s*secrets\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** `${{ secrets.NAME }}` as an export writes it where a secret was. */
export function secretReference(name: string): string {
  return `\${{ secrets.${name} }}`;
}

/**
 * The document with every `${{ secrets.NAME }}` replaced by the secrets map's value. A reference
 * the map lacks is reported (with its path) and left as it was.
 */
export function resolveSecrets(
  value: unknown,
  secrets: Readonly<Record<string, string>>,
  missing: (path: Path, name: string) => void,
  path: Path = [],
): unknown {
  if (typeof value === "string") {
    return value.replace(SECRET_REFERENCE, (whole, name: string) => {
      const secret = Object.hasOwn(secrets, name) ? secrets[name] : undefined;
      if (secret === undefined) {
        missing(path, name);
        return whole;
      }
      return secret;
    });
  }
  if (Array.isArray(value))
    return value.map((item, index) => resolveSecrets(item, secrets, missing, [...path, index]));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        resolveSecrets(item, secrets, missing, [...path, key]),
      ]),
    );
  }
  return value;
}
