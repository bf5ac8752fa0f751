/**
 * The text fields of a multipart/form-data body (RFC 7578), by name. The manifest routes take a
 * small text file (`manifest_file`) and a few options; no file lands on disk, so a parser that
 * splits the buffered body is enough. Undefined when the body is not well-formed multipart.
 */
export function multipartFields(body: Buffer, contentType: string): Map<string, string> | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const token = boundary?.[1] ?? boundary?.[2];
  if (token === undefined) return undefined;
  const text = body.toString("utf8");
  const delimiter = `--${token}`;
  const parts = text.split(delimiter);
  // A well-formed body starts with the delimiter and ends with the closing `--delimiter--`.
  if (parts.length < 3 || !parts[parts.length - 1]?.startsWith("--")) return undefined;
  const fields = new Map<string, string>();
  for (const part of parts.slice(1, -1)) {
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd < 0) return undefined;
    const headers = part.slice(0, headerEnd);
    const name = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(headers)?.[1];
    if (name === undefined) return undefined;
    // The part's value ends before the CRLF that precedes the next delimiter.
    fields.set(name, part.slice(headerEnd + 4).replace(/\r\n$/, ""));
  }
  return fields;
}
