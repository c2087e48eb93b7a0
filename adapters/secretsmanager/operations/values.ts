/**
 * CreateSecret, PutSecretValue, GetSecretValue and UpdateSecret.
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_UpdateSecret.html
 */
import { SECRET_NAME } from "../../../runtime/config/schema.js";
import type { JsonObject } from "../../../translators/json.js";
import type { Secret, Tag } from "../secret-store.js";
import { SecretsManagerError } from "../secrets-manager-error.js";
import { findSecret, instant, liveSecret, optionalObjects, optionalString, ParameterError, requiredString, secretValue, type SecretsOperation } from "./request.js";
import { addVersion, CURRENT } from "./versions.js";

export const INVALID_NAME = "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!";

function tags(request: JsonObject): Tag[] {
  return (optionalObjects(request, "Tags") ?? []).map((t) => {
    if (typeof t["Key"] !== "string" || typeof t["Value"] !== "string") throw new ParameterError("Parameter 'Tags' must hold objects with a string Key and Value");
    return { Key: t["Key"], Value: t["Value"] };
  });
}

export const createSecret: SecretsOperation = async (request, context) => {
  const name = requiredString(request, "Name");
  if (!SECRET_NAME.test(name)) throw SecretsManagerError.validation(INVALID_NAME);
  const value = secretValue(request);
  const existing = await findSecret(context, name);
  if (existing?.deletionDate !== undefined) {
    throw SecretsManagerError.invalidRequest("You can't create this secret because a secret with this name is already scheduled for deletion.");
  }
  if (existing) throw exists(name);
  const now = context.now();
  const description = optionalString(request, "Description");
  const secret: Secret = {
    name, arn: context.arnOf(name), created: now, description, lastChanged: now, lastAccessed: undefined, deleted: undefined, deletionDate: undefined,
    tags: tags(request), versions: [],
  };
  const version = value && addVersion(secret, value, optionalString(request, "ClientRequestToken") ?? context.versionId(), [CURRENT], now);
  // Created meanwhile by another process (distributed mode): the same answer as above.
  if (!(await context.secrets.create(secret))) throw exists(name);
  return { ARN: secret.arn, Name: name, ...(version ? { VersionId: version.id } : {}) };
};

const exists = (name: string): SecretsManagerError => new SecretsManagerError("ResourceExistsException", `The operation failed because the secret ${name} already exists.`);

/** The labels a PutSecretValue request gives its version (AWSCURRENT unless it says otherwise). */
function stagesOf(request: JsonObject): string[] {
  const stages = request["VersionStages"];
  if (stages === undefined || stages === null) return [CURRENT];
  if (!Array.isArray(stages) || !stages.every((s) => typeof s === "string")) throw new ParameterError("Parameter 'VersionStages' must be a list of strings");
  return stages as string[];
}

export const putSecretValue: SecretsOperation = async (request, context) => {
  const secret = await liveSecret(request, context);
  const value = secretValue(request);
  if (!value) throw SecretsManagerError.invalidRequest("You must provide either SecretString or SecretBinary.");
  const version = addVersion(secret, value, optionalString(request, "ClientRequestToken") ?? context.versionId(), stagesOf(request), context.now());
  await context.secrets.put(secret);
  return { ARN: secret.arn, Name: secret.name, VersionId: version.id, VersionStages: [...version.stages] };
};

const DAY_MS = 86_400_000;

export const getSecretValue: SecretsOperation = async (request, context) => {
  const secret = await liveSecret(request, context);
  const versionId = optionalString(request, "VersionId");
  const stage = optionalString(request, "VersionStage") ?? (versionId === undefined ? CURRENT : undefined);
  const version = secret.versions.find((v) => (versionId === undefined || v.id === versionId) && (stage === undefined || v.stages.includes(stage)));
  if (!version) {
    const what = versionId !== undefined ? `VersionId: ${versionId}` : `staging label: ${stage ?? CURRENT}`;
    throw SecretsManagerError.notFound(`Secrets Manager can't find the specified secret value for ${what}`);
  }
  const now = context.now();
  const today = now - (now % DAY_MS);
  // Written back once a day at most: a read changes only the day it was last read on.
  if (secret.lastAccessed !== today) {
    secret.lastAccessed = today;
    await context.secrets.put(secret);
  }
  return { ARN: secret.arn, CreatedDate: instant(version.created), Name: secret.name, ...version.value, VersionId: version.id, VersionStages: [...version.stages] };
};

export const updateSecret: SecretsOperation = async (request, context) => {
  const secret = await liveSecret(request, context);
  const value = secretValue(request);
  const description = optionalString(request, "Description");
  const now = context.now();
  if (description !== undefined) secret.description = description;
  secret.lastChanged = now;
  const version = value && addVersion(secret, value, optionalString(request, "ClientRequestToken") ?? context.versionId(), [CURRENT], now);
  await context.secrets.put(secret);
  return { ARN: secret.arn, Name: secret.name, ...(version ? { VersionId: version.id } : {}) };
};
