/**
 * Reading a Task's Parameters as a Secrets Manager request: the API's member names
 * (PascalCase). A missing required member is the service's ValidationException; a value of
 * the wrong type fails the Task with `States.TaskFailed` (the SDK cannot send it); members
 * this adapter does not model are ignored.
 */
import type { JsonObject } from "../../../translators/json.js";
import { optionalString } from "../../aws-sdk-members.js";
import type { Secret, SecretStore, SecretValue } from "../secret-store.js";
import { SecretsManagerError } from "../secrets-manager-error.js";

/** What a Secrets Manager operation runs against. */
export interface SecretsContext {
  readonly secrets: SecretStore;
  /** Epoch milliseconds (the engine's clock, virtual time included). */
  now(): number;
  /** The ARN a new secret of this name gets (region, account, random suffix). */
  arnOf(name: string): string;
  /** A new version id (a UUID). */
  versionId(): string;
}

export { instant, optionalBoolean, optionalInteger, optionalObjects, optionalString, ParameterError } from "../../aws-sdk-members.js";

/** Runs one action; a secret it changes is written back to the store before it answers. */
export type SecretsOperation = (request: JsonObject, context: SecretsContext) => Promise<JsonObject>;

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

/** A scheduled deletion takes effect once its date has come. */
const deletionDue = (secret: Secret, now: number): boolean => secret.deletionDate !== undefined && secret.deletionDate <= now;

/** The secret a SecretId names, if it exists (one whose scheduled deletion has come is removed first). */
export async function findSecret(context: SecretsContext, secretId: string): Promise<Secret | undefined> {
  const secret = await context.secrets.find(secretId);
  if (!secret || !deletionDue(secret, context.now())) return secret;
  await context.secrets.remove(secret.name);
  return undefined;
}

/** Every secret that exists, oldest first (those whose scheduled deletion has come are removed first). */
export async function allSecrets(context: SecretsContext): Promise<Secret[]> {
  const now = context.now();
  const secrets = await context.secrets.all();
  await Promise.all(secrets.filter((s) => deletionDue(s, now)).map((s) => context.secrets.remove(s.name)));
  return secrets.filter((s) => !deletionDue(s, now));
}

/** The secret a request's SecretId names (ResourceNotFoundException otherwise). */
export async function existingSecret(request: JsonObject, context: SecretsContext): Promise<Secret> {
  const secret = await findSecret(context, requiredString(request, "SecretId"));
  if (!secret) throw SecretsManagerError.notFound();
  return secret;
}

/** …that is not scheduled for deletion (InvalidRequestException otherwise). */
export async function liveSecret(request: JsonObject, context: SecretsContext): Promise<Secret> {
  const secret = await existingSecret(request, context);
  if (secret.deletionDate !== undefined) {
    throw SecretsManagerError.invalidRequest("You can't perform this operation on the secret because it was marked for deletion.");
  }
  return secret;
}

