/**
 * DescribeSecret, ListSecrets and DeleteSecret. A deletion is scheduled (7 to 30 days ahead,
 * 30 by default) unless ForceDeleteWithoutRecovery; until it takes effect the secret is
 * described (with DeletedDate) but not read, changed, re-created or listed (unless
 * IncludePlannedDeletion).
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DescribeSecret.html
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_ListSecrets.html
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DeleteSecret.html
 */
import type { JsonObject } from "../../../translators/json.js";
import type { Secret } from "../secret-store.js";
import { SecretsManagerError } from "../secrets-manager-error.js";
import { secretFilter } from "./list-filters.js";
import { allSecrets, existingSecret, instant, optionalBoolean, optionalInteger, optionalObjects, optionalString, type SecretsOperation } from "./request.js";
import { versionsToStages } from "./versions.js";

/** The fields DescribeSecret and a ListSecrets entry share, in the SDK's (alphabetical) order. */
function summary(s: Secret, versionsField: "VersionIdsToStages" | "SecretVersionsToStages"): JsonObject {
  const versions = versionsToStages(s);
  return {
    ARN: s.arn,
    CreatedDate: instant(s.created),
    ...(s.deleted !== undefined ? { DeletedDate: instant(s.deleted) } : {}),
    ...(s.description !== undefined ? { Description: s.description } : {}),
    ...(s.lastAccessed !== undefined ? { LastAccessedDate: instant(s.lastAccessed) } : {}),
    LastChangedDate: instant(s.lastChanged),
    Name: s.name,
    ...(versionsField === "SecretVersionsToStages" ? { SecretVersionsToStages: versions } : {}),
    ...(s.tags.length > 0 ? { Tags: s.tags.map((t) => ({ Key: t.Key, Value: t.Value })) } : {}),
    ...(versionsField === "VersionIdsToStages" && Object.keys(versions).length > 0 ? { VersionIdsToStages: versions } : {}),
  };
}

export const describeSecret: SecretsOperation = async (request, context) => summary(await existingSecret(request, context), "VersionIdsToStages");

const PAGE = 100;
const TOKEN = "aslan:";

function pageStart(token: string | undefined): number {
  if (token === undefined) return 0;
  const text = Buffer.from(token, "base64").toString("utf8");
  const start = Number(text.slice(TOKEN.length));
  if (!text.startsWith(TOKEN) || !Number.isInteger(start) || start < 0) throw new SecretsManagerError("InvalidNextTokenException", "The NextToken value is invalid.");
  return start;
}

export const listSecrets: SecretsOperation = async (request, context) => {
  const max = optionalInteger(request, "MaxResults") ?? PAGE;
  if (max < 1 || max > PAGE) {
    throw SecretsManagerError.validation(`1 validation error detected: Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value ${max < 1 ? "greater than or equal to 1" : `less than or equal to ${PAGE}`}`);
  }
  const start = pageStart(optionalString(request, "NextToken"));
  const planned = optionalBoolean(request, "IncludePlannedDeletion") ?? false;
  const matches = secretFilter(optionalObjects(request, "Filters"));
  const ascending = optionalString(request, "SortOrder") === "asc";
  const secrets = (await allSecrets(context))
    .filter((s) => (planned || s.deletionDate === undefined) && matches(s))
    .sort((a, b) => (ascending ? a.created - b.created : b.created - a.created));
  const page = secrets.slice(start, start + max);
  const next = start + max < secrets.length ? { NextToken: Buffer.from(`${TOKEN}${start + max}`, "utf8").toString("base64") } : {};
  return { SecretList: page.map((s) => summary(s, "SecretVersionsToStages")), ...next };
};

const DAY_MS = 86_400_000;

export const deleteSecret: SecretsOperation = async (request, context) => {
  const secret = await existingSecret(request, context);
  const force = optionalBoolean(request, "ForceDeleteWithoutRecovery") ?? false;
  const window = optionalInteger(request, "RecoveryWindowInDays");
  if (force && window !== undefined) throw SecretsManagerError.invalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
  if (window !== undefined && (window < 7 || window > 30)) throw SecretsManagerError.invalidParameter("The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
  if (secret.deletionDate !== undefined && !force) {
    throw SecretsManagerError.invalidRequest("You can't perform this operation on the secret because it was marked for deletion.");
  }
  const now = context.now();
  const deletionDate = force ? now : now + (window ?? 30) * DAY_MS;
  if (force) await context.secrets.remove(secret.name);
  else {
    secret.deleted = now;
    secret.deletionDate = deletionDate;
    secret.lastChanged = now;
    await context.secrets.put(secret);
  }
  return { ARN: secret.arn, DeletionDate: instant(deletionDate), Name: secret.name };
};
