import { describe, expect, it } from "vitest";
import { multipartFields } from "./multipart-fields.js";

const TYPE = "multipart/form-data; boundary=b0undary";
const body = (text: string) => Buffer.from(text.replace(/\n/g, "\r\n"));

describe("multipartFields", () => {
  it("answers each field's text by name, a file's lines kept", () => {
    const fields = multipartFields(
      body(
        '--b0undary\nContent-Disposition: form-data; name="manifest_file"; filename="m.yaml"\nContent-Type: application/yaml\n\nversion: "1.0"\nbuckets: []\n--b0undary\nContent-Disposition: form-data; name="prune"\n\ntrue\n--b0undary--\n',
      ),
      TYPE,
    );
    expect(fields?.get("manifest_file")).toBe('version: "1.0"\r\nbuckets: []');
    expect(fields?.get("prune")).toBe("true");
  });

  it("answers undefined for a body that is not well-formed multipart", () => {
    expect(multipartFields(body("--b0undary\nno headers end"), TYPE)).toBeUndefined();
    expect(
      multipartFields(body('--b0undary\nContent-Disposition: form-data; name="a"\n\nx\n'), TYPE),
    ).toBeUndefined();
    expect(multipartFields(body("anything"), "multipart/form-data")).toBeUndefined();
  });
});
