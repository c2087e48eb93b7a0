/**
 * Reading a Task's Parameters as a Secrets Manager request: the API's member names
 * (PascalCase). A missing required member is the service's ValidationException; a value of
 * the wrong type fails the Task with `States.TaskFailed` (the SDK cannot send it); members
 * this adapter does not model are ignored.
 */
import type { JsonObject } from "../../../translators/json.js";
import { optionalString } from "../../aws-sdk-members.js";
import type { MemorySecretStore, Secret, SecretValue } from "../secret-store.js";
import { SecretsManagerError } from "../secrets-manager-error.js";

/** What a Secrets Manager operation runs against. */
export interface SecretsContext {
  readonly secrets: MemorySecretStore;
  /** Epoch milliseconds (the engine's clock, virtual time included). */
  now(): number;
  /** The ARN a new secret of this name gets (region, account, random suffix). */
  arnOf(name: string): string;
  /** A new version id (a UUID). */
  versionId(): string;
}

export { instant, optionalBoolean, optionalInteger, optionalObjects, optionalString, ParameterError } from "../../aws-sdk-members.js";

export type SecretsOperation = (request: JsonObject, context: SecretsContext) => JsonObject;

/** The service's names for members in validation messages: `SecretId` → `secretId`. */
const memberName = (name: string): string => name[0]?.toLowerCase() + name.slice(1);

export function requiredString(request: JsonObject, name: string): string {
  const value = optionalString(request, name);
  if (value === undefined) throw SecretsManagerError.missing(memberName(name));
  return value;
}

/** SecretString or SecretBinary (not both); undefined when the request has neither. */
export function secretValue(request: JsonObject): SecretValue | undefined {
  const text = optionalString(request, "SecretString");
  const binary = optionalString(request, "SecretBinary");
  if (text !== undefined && binary !== undefined) {
    throw SecretsManagerError.invalidParameter("You can't specify both a binary secret value and a string secret value in the same secret.");
  }
  return text !== undefined ? { SecretString: text } : binary !== undefined ? { SecretBinary: binary } : undefined;
}

/** The secret a request's SecretId names (ResourceNotFoundException otherwise). */
export function existingSecret(request: JsonObject, context: SecretsContext): Secret {
  const secret = context.secrets.find(requiredString(request, "SecretId"));
  if (!secret) throw SecretsManagerError.notFound();
  return secret;
}

/** …that is not scheduled for deletion (InvalidRequestException otherwise). */
export function liveSecret(request: JsonObject, context: SecretsContext): Secret {
  const secret = existingSecret(request, context);
  if (secret.deletionDate !== undefined) {
    throw SecretsManagerError.invalidRequest("You can't perform this operation on the secret because it was marked for deletion.");
  }
  return secret;
}

