/** An AWS error as S3 Vectors sends it: the type in `x-amzn-errortype`, `{message, fieldList?}` in the body. */
export class FakeAwsError extends Error {
  constructor(
    readonly type: string,
    readonly status: number,
    message: string,
    readonly fieldList?: readonly { path: string; message: string }[],
  ) {
    super(message);
  }
}

export const validation = (message: string, path?: string): FakeAwsError =>
  new FakeAwsError("ValidationException", 400, message, path ? [{ path, message }] : undefined);

export const notFound = (message: string): FakeAwsError =>
  new FakeAwsError("NotFoundException", 404, message);

export const conflict = (message: string): FakeAwsError =>
  new FakeAwsError("ConflictException", 409, message);
