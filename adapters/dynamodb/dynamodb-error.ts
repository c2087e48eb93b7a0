/**
 * An error as DynamoDB answers it: its error code (the `__type` after `#`), message, HTTP
 * status and request id. The local tables and the forwarding client both throw these; the
 * adapter turns them into Step Functions' error names (`step-functions-errors.ts`).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html
 */
import { ServiceError } from "../service-error.js";
export class DynamoDbError extends ServiceError {
  override readonly name = "DynamoDbError";
  constructor(
    code: string,
    message: string,
    statusCode = 400,
    /** Set by whoever answered the request (local tables or the forwarded endpoint). */
    public requestId?: string,
  ) {
    super(code, message, statusCode);
  }

  static validation(message: string): DynamoDbError {
    return new DynamoDbError("ValidationException", message);
  }

  static conditionalCheckFailed(): DynamoDbError {
    return new DynamoDbError("ConditionalCheckFailedException", "The conditional request failed");
  }

  static resourceNotFound(): DynamoDbError {
    return new DynamoDbError("ResourceNotFoundException", "Requested resource not found");
  }
}
