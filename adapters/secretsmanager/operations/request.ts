/**
 * Reading a Task's Parameters as a Secrets Manager request: the API's member names
 * (PascalCase). A missing required member is the service's ValidationException; a value of
 * the wrong type fails the Task with `States.TaskFailed` (the SDK cannot send it); members
 * this adapter does not model are ignored.
 */
import { isObject, type Json, type JsonObject } from "../../../translators/json.js";
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

export type SecretsOperation = (request: JsonObject, context: SecretsContext) => JsonObject;

/** A request member the SDK cannot send as given. */
export class ParameterError extends Error {
  override readonly name = "ParameterError";
}

const describe = (v: Json): string => JSON.stringify(v).slice(0, 60);

/** The service's names for members in validation messages: `SecretId` → `secretId`. */
const memberName = (name: string): string => name[0]?.toLowerCase() + name.slice(1);

export function requiredString(request: JsonObject, name: string): string {
  const value = optionalString(request, name);
  if (value === undefined) throw SecretsManagerError.missing(memberName(name));
  return value;
}

export function optionalString(request: JsonObject, name: string): string | undefined {
  const value = request[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new ParameterError(`Parameter '${name}' must be a string, got ${describe(value)}`);
  return value;
}

export function optionalInteger(request: JsonObject, name: string): number | undefined {
  const value = request[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value)) throw new ParameterError(`Parameter '${name}' must be an integer, got ${describe(value)}`);
  return value;
}

export function optionalBoolean(request: JsonObject, name: string): boolean | undefined {
  const value = request[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw new ParameterError(`Parameter '${name}' must be true or false, got ${describe(value)}`);
  return value;
}

/** A list of objects (`Tags`, `Filters`). */
export function optionalObjects(request: JsonObject, name: string): JsonObject[] | undefined {
  const value = request[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every(isObject)) throw new ParameterError(`Parameter '${name}' must be a list of objects, got ${describe(value)}`);
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

/** A date as Step Functions writes the SDK's timestamps: ISO 8601 in UTC, fractions only when there are some. */
export const instant = (ms: number): string => new Date(ms).toISOString().replace(".000Z", "Z");
