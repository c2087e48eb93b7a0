/**
 * The secrets, in memory: each with its ARN, dates, tags and versions (a value and the staging
 * labels on it). A secret is found by name, by ARN, or by ARN without the 6-character suffix,
 * as Secrets Manager finds a SecretId. A scheduled deletion takes effect once its date passes.
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

export class MemorySecretStore {
  private readonly secrets = new Map<string, Secret>();

  constructor(private readonly now: () => number) {}

  add(secret: Secret): void {
    this.secrets.set(secret.name, secret);
  }

  remove(name: string): void {
    this.secrets.delete(name);
  }

  /** The secret a SecretId names: its name, its ARN, or its ARN without the random suffix. */
  find(secretId: string): Secret | undefined {
    this.purge();
    const byName = this.secrets.get(secretId);
    if (byName) return byName;
    if (!secretId.startsWith("arn:")) return undefined;
    return [...this.secrets.values()].find((s) => s.arn === secretId || s.arn.slice(0, -7) === secretId);
  }

  /** Every secret (scheduled deletions included), oldest first. */
  all(): Secret[] {
    this.purge();
    return [...this.secrets.values()];
  }

  /** Removes the secrets whose scheduled deletion has come. */
  private purge(): void {
    const now = this.now();
    for (const [name, s] of this.secrets) if (s.deletionDate !== undefined && s.deletionDate <= now) this.secrets.delete(name);
  }
}
