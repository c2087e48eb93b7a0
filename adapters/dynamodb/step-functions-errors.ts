/**
 * How Step Functions reports a DynamoDB error to Retry/Catch, which differs by integration:
 * - optimized (`arn:aws:states:::dynamodb:putItem`): `DynamoDB.<Exception>` for the errors the
 *   service models, `DynamoDB.AmazonDynamoDBException` for the rest (ValidationException…);
 *   cause `<message> (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: <code>;
 *   Request ID: <id>; Proxy: null)`.
 * - AWS SDK (`arn:aws:states:::aws-sdk:dynamodb:putItem`): `DynamoDb.<Exception>`, else
 *   `DynamoDb.DynamoDbException`; cause `<message> (Service: DynamoDb, Status Code: 400,
 *   Request ID: <id>)`.
 * Error names end in "Exception" even when the service's code does not.
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html
 */
import { TaskError } from "../../runtime/ports/adapter.js";
import type { DynamoDbError } from "./dynamodb-error.js";

export type Integration = "optimized" | "aws-sdk";

/** The error codes DynamoDB's API models as exception types (the SDKs have a class for each). */
const MODELED = new Set([
  "ConditionalCheckFailedException",
  "ResourceNotFoundException",
  "ProvisionedThroughputExceededException",
  "ItemCollectionSizeLimitExceededException",
  "TransactionConflictException",
  "TransactionCanceledException",
  "RequestLimitExceeded",
  "InternalServerError",
  "ResourceInUseException",
  "LimitExceededException",
  "ReplicatedWriteConflictException",
  "ThrottlingException",
]);

const exceptionName = (code: string): string => (code.endsWith("Exception") ? code : `${code}Exception`);

export function toTaskError(e: DynamoDbError, integration: Integration): TaskError {
  const modeled = MODELED.has(e.code);
  const id = e.requestId ?? "";
  if (integration === "optimized") {
    const name = modeled ? exceptionName(e.code) : "AmazonDynamoDBException";
    return new TaskError(
      `DynamoDB.${name}`,
      `${e.message} (Service: AmazonDynamoDBv2; Status Code: ${e.statusCode}; Error Code: ${e.code}; Request ID: ${id}; Proxy: null)`,
    );
  }
  const name = modeled ? exceptionName(e.code) : "DynamoDbException";
  return new TaskError(`DynamoDb.${name}`, `${e.message} (Service: DynamoDb, Status Code: ${e.statusCode}, Request ID: ${id})`);
}
