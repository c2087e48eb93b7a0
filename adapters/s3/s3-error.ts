/**
 * S3's errors, and how Step Functions' AWS SDK integration reports them to Retry/Catch: the
 * error is `S3.<Code>Exception` for the codes S3's API models (its Java SDK has a class for
 * each: `S3.NoSuchBucketException`, `S3.NoSuchKeyException`), else `S3.S3Exception`; the cause
 * is `<message> (Service: S3, Status Code: <status>, Request ID: <id>, Extended Request ID: <id2>)`.
 * A HEAD request's error has no body, so its message is `null`, as the Java SDK prints it.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html
 */
import { randomBytes } from "node:crypto";
import { TaskError } from "../../runtime/ports/adapter.js";

export class S3Error extends Error {
  override readonly name = "S3Error";
  constructor(
    /** S3's error code (`NoSuchBucket`). */
    readonly code: string,
    /** null for HEAD requests, whose error responses carry no message. */
    readonly text: string | null,
    readonly statusCode: number,
  ) {
    super(text ?? code);
  }

  static noSuchBucket(head = false): S3Error {
    return new S3Error("NoSuchBucket", head ? null : "The specified bucket does not exist", 404);
  }

  static noSuchKey(head = false): S3Error {
    return new S3Error("NoSuchKey", head ? null : "The specified key does not exist.", 404);
  }

  static invalidArgument(message: string): S3Error {
    return new S3Error("InvalidArgument", message, 400);
  }
}

/** The error codes S3's API models as exception types. */
const MODELED = new Set([
  "BucketAlreadyExists",
  "BucketAlreadyOwnedByYou",
  "EncryptionTypeMismatch",
  "IdempotencyParameterMismatch",
  "InvalidObjectState",
  "InvalidRequest",
  "InvalidWriteOffset",
  "NoSuchBucket",
  "NoSuchKey",
  "NoSuchUpload",
  "ObjectAlreadyInActiveTierError",
  "ObjectNotInActiveTierError",
  "TooManyParts",
]);

/** S3's request ids: `x-amz-request-id` (16 hex digits) and `x-amz-id-2` (76 base64 characters). */
export function s3RequestIds(): { requestId: string; extendedRequestId: string } {
  return { requestId: randomBytes(8).toString("hex").toUpperCase(), extendedRequestId: randomBytes(57).toString("base64") };
}

export function s3TaskError(e: S3Error, ids = s3RequestIds()): TaskError {
  const name = MODELED.has(e.code) ? (e.code.endsWith("Exception") ? e.code : `${e.code}Exception`) : "S3Exception";
  return new TaskError(
    `S3.${name}`,
    `${e.text ?? "null"} (Service: S3, Status Code: ${e.statusCode}, Request ID: ${ids.requestId}, Extended Request ID: ${ids.extendedRequestId})`,
  );
}
