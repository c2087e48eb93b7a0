/**
 * An error as an AWS-like service answers it: its error code, message and HTTP status. Each
 * adapter's service has its own subclass (its own name and codes), which turns into Step
 * Functions' error names its own way.
 */
export class ServiceError<Code extends string = string> extends Error {
  override readonly name: string = "ServiceError";
  constructor(
    readonly code: Code,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
  }
}
