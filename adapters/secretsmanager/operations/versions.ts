/**
 * Secret versions and their staging labels: a new version gets AWSCURRENT (unless the request
 * names other labels), the version that had it gets AWSPREVIOUS, and a label is on one version
 * at a time. A version left without labels is dropped (Secrets Manager deprecates it).
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/whats-in-a-secret.html#term_version
 */
import type { Secret, SecretValue, SecretVersion } from "../secret-store.js";
import { SecretsManagerError } from "../secrets-manager-error.js";

export const CURRENT = "AWSCURRENT";
export const PREVIOUS = "AWSPREVIOUS";

const sameValue = (a: SecretValue, b: SecretValue): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Adds a version with `value`, or returns the one `id` already names when its value is the
 * same (a retried request with the same ClientRequestToken).
 */
export function addVersion(secret: Secret, value: SecretValue, id: string, stages: readonly string[], now: number): SecretVersion {
  const existing = secret.versions.find((v) => v.id === id);
  if (existing) {
    if (sameValue(existing.value, value)) return existing;
    throw new SecretsManagerError("ResourceExistsException", "You can't modify an existing version, you can only create a new version.");
  }
  if (stages.includes(CURRENT)) {
    const current = secret.versions.find((v) => v.stages.includes(CURRENT));
    for (const v of secret.versions) v.stages = v.stages.filter((s) => s !== PREVIOUS);
    if (current) current.stages.push(PREVIOUS);
  }
  for (const v of secret.versions) v.stages = v.stages.filter((s) => s === PREVIOUS || !stages.includes(s));
  const version: SecretVersion = { id, value, created: now, stages: [...stages] };
  secret.versions = [...secret.versions.filter((v) => v.stages.length > 0), version];
  secret.lastChanged = now;
  return version;
}

/** Version ids → their labels (DescribeSecret's VersionIdsToStages, ListSecrets' SecretVersionsToStages). */
export const versionsToStages = (secret: Secret): Record<string, string[]> => Object.fromEntries(secret.versions.map((v) => [v.id, [...v.stages]]));
