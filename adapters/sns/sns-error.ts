/**
 * SNS errors as the optimized integration reports them: `SNS.<Code>Exception` (the Java SDK's
 * class), with a cause such as `Topic does not exist (Service: AmazonSNS; Status Code: 404;
 * Error Code: NotFound; Request ID: …; Proxy: null)`.
 */
import { randomUUID } from "node:crypto";
import { TaskError } from "../../runtime/ports/adapter.js";
import { ServiceError } from "../service-error.js";

export type SnsErrorCode = "NotFound" | "InvalidParameter" | "InvalidParameterValue" | (string & {});

export class SnsError extends ServiceError<SnsErrorCode> {
  override readonly name = "SnsError";
}

export const topicNotFound = (): SnsError => new SnsError("NotFound", "Topic does not exist", 404);

export const invalidParameter = (what: string): SnsError => new SnsError("InvalidParameter", `Invalid parameter: ${what}`);

export function snsTaskError(e: SnsError): TaskError {
  const exception = e.code.endsWith("Exception") ? e.code : `${e.code}Exception`;
  return new TaskError(
    `SNS.${exception}`,
    `${e.message} (Service: AmazonSNS; Status Code: ${e.statusCode}; Error Code: ${e.code}; Request ID: ${randomUUID()}; Proxy: null)`,
  );
}
