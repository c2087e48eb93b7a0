/**
 * Secrets Manager's errors, and how Step Functions' AWS SDK integration reports them to
 * Retry/Catch: `SecretsManager.<Code>` for the errors the API models (its Java SDK has a class
 * for each, named with `Exception` at the end: `SecretsManager.ResourceNotFoundException`), else
 * `SecretsManager.SecretsManagerException` (a ValidationException, such as an invalid name); the
 * cause is `<message> (Service: SecretsManager, Status Code: 400, Request ID: <uuid>)`.
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/CommonErrors.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html
 */
import { randomUUID } from "node:crypto";
import { TaskError } from "../../runtime/ports/adapter.js";
import { ServiceError } from "../service-error.js";

export class SecretsManagerError extends ServiceError {
  override readonly name = "SecretsManagerError";

  static notFound(message = "Secrets Manager can't find the specified secret."): SecretsManagerError {
    return new SecretsManagerError("ResourceNotFoundException", message);
  }

  static invalidRequest(message: string): SecretsManagerError {
    return new SecretsManagerError("InvalidRequestException", message);
  }

  static invalidParameter(message: string): SecretsManagerError {
    return new SecretsManagerError("InvalidParameterException", message);
  }

  /** The service's request validation (not a modeled error). */
  static validation(message: string): SecretsManagerError {
    return new SecretsManagerError("ValidationException", message);
  }

  /** A missing required member, in the service's validation wording. */
  static missing(member: string): SecretsManagerError {
    return SecretsManagerError.validation(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  }
}

/** The error codes Secrets Manager's API models as exception types. */
const MODELED = new Set([
  "DecryptionFailure",
  "EncryptionFailure",
  "InternalServiceError",
  "InvalidNextTokenException",
  "InvalidParameterException",
  "InvalidRequestException",
  "LimitExceededException",
  "MalformedPolicyDocumentException",
  "PreconditionNotMetException",
  "PublicPolicyException",
  "ResourceExistsException",
  "ResourceNotFoundException",
]);

export function secretsManagerTaskError(e: SecretsManagerError, requestId = randomUUID()): TaskError {
  const name = MODELED.has(e.code) ? (e.code.endsWith("Exception") ? e.code : `${e.code}Exception`) : "SecretsManagerException";
  return new TaskError(`SecretsManager.${name}`, `${e.message} (Service: SecretsManager, Status Code: ${e.statusCode}, Request ID: ${requestId})`);
}
