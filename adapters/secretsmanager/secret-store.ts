/**
 * The SecretStore port: where the Secrets Manager-like secrets are kept (MemorySecretStore,
 * LmdbSecretStore under a data directory, JetStreamSecretStore in distributed mode). Each secret with its ARN, dates, tags and versions
 * (a value and the staging labels on it). A store hands out copies: an operation changes one,
 * then writes it back with `put` (so a durable store sees every change). What Secrets Manager
 * answers (scheduled deletions taking effect, errors, result shapes) is decided above it, in
 * `operations/`.
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/whats-in-a-secret.html
 */

/** A version's value: text, or binary data as base64 (how a blob travels in a Task's JSON). */
export type SecretValue = { readonly SecretString: string } | { readonly SecretBinary: string };

export interface SecretVersion {
  readonly id: string;
  readonly value: SecretValue;
  /** Epoch milliseconds. */
  readonly created: number;
  /** Its staging labels (`AWSCURRENT`, `AWSPREVIOUS`, …); a version without any is dropped. */
  stages: string[];
}

export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

export interface Secret {
  readonly name: string;
  readonly arn: string;
  readonly created: number;
  description: string | undefined;
  lastChanged: number;
  /** Midnight (UTC) of the day it was last read, as Secrets Manager records it. */
  lastAccessed: number | undefined;
  /** When DeleteSecret was called, while its deletion is scheduled. */
  deleted: number | undefined;
  /** When a scheduled deletion takes effect. */
  deletionDate: number | undefined;
  readonly tags: Tag[];
  versions: SecretVersion[];
}

export interface SecretStore {
  /** A copy of the secret a SecretId names: its name, its ARN, or its ARN without the random suffix. */
  find(secretId: string): Promise<Secret | undefined>;
  /** Copies of every secret (scheduled deletions included), oldest first. */
  all(): Promise<Secret[]>;
  /** Writes a new secret unless one of its name exists; false when one does (nothing changes). */
  create(secret: Secret): Promise<boolean>;
  /**
   * Writes a secret, new or changed, under its name; resolves once it is kept. A store that
   * several processes share refuses a copy it handed out whose secret another process changed
   * since (SecretChangedError).
   */
  put(secret: Secret): Promise<void>;
  /** Removes a secret for good (a forced deletion, or a scheduled one whose date has come). */
  remove(name: string): Promise<void>;
  /** Closes what the store opened (its files); it is not used after. */
  close?(): Promise<void>;
}

/** A copy was put after another process changed its secret: the operation runs again from a fresh read. */
export class SecretChangedError extends Error {
  override readonly name = "SecretChangedError";
  constructor(secretName: string) {
    super(`the secret ${secretName} changed while this request was changing it`);
  }
}

/** Among `secrets`, the one a SecretId names (by name, by ARN, or by ARN without its 7-character `-xxxxxx` suffix). */
export function secretNamed(secrets: Iterable<Secret>, byName: (name: string) => Secret | undefined, secretId: string): Secret | undefined {
  const named = byName(secretId);
  if (named || !secretId.startsWith("arn:")) return named;
  for (const s of secrets) if (s.arn === secretId || s.arn.slice(0, -7) === secretId) return s;
  return undefined;
}
