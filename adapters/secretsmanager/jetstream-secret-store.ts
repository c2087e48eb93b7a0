/**
 * The SecretStore of distributed mode: the Secrets Manager-like secrets in one JetStream KV
 * bucket (`aslan_secrets`) that every worker and node shares, one entry per secret under
 * `s.<name>` (a base64url token).
 *
 * The store remembers the KV revision of each copy it hands out: putting that copy back is a
 * compare-and-set on it, refused with SecretChangedError when another process wrote the
 * secret meanwhile (the adapter then runs the operation again from a fresh read). A secret
 * built afresh (not a copy handed out) replaces whatever is stored; `create` writes only
 * where nothing is, so of processes creating one secret at once, one wins.
 */
import {
  decodeJson, deleteKey, encodeJson, entryOf, JetStreamAdapterBucket, listKeys, mapLimit, putIf, putValue, revisionOf, token, type KV, type KvEntry,
} from "../jetstream-adapter-bucket.js";
import { SecretChangedError, type Secret, type SecretStore } from "./secret-store.js";

export interface JetStreamSecretStoreOptions {
  /** NATS servers (AdapterHost.natsServers). */
  readonly servers: string;
  /** The KV bucket; `aslan_secrets` unless given (tests use their own). */
  readonly bucket?: string;
}

export const SECRETS_BUCKET = "aslan_secrets";

const secretKey = (name: string): string => `s.${token(name)}`;

/** What a Secret ARN holds after `:secret:`: the name, then `-` and 6 random characters. */
const SECRET_IN_ARN = ":secret:";
const SUFFIX_LENGTH = 7;
const READS_IN_FLIGHT = 64;

export class JetStreamSecretStore implements SecretStore {
  private readonly bucket: JetStreamAdapterBucket;
  /** The KV revision each copy handed out (or written) was at. */
  private readonly revisions = new WeakMap<Secret, number>();

  constructor(options: JetStreamSecretStoreOptions) {
    this.bucket = new JetStreamAdapterBucket({ servers: options.servers, bucket: options.bucket ?? SECRETS_BUCKET, connectionName: "aslan-secrets" });
  }

  /** By name, else by ARN (with or without its suffix): the name is in the ARN, so two reads at most, not a listing. */
  async find(secretId: string): Promise<Secret | undefined> {
    const kv = await this.kv();
    const named = await this.read(kv, secretKey(secretId));
    const at = secretId.indexOf(SECRET_IN_ARN);
    if (named || !secretId.startsWith("arn:") || at < 0) return named;
    const rest = secretId.slice(at + SECRET_IN_ARN.length);
    const candidates = await Promise.all([rest.slice(0, -SUFFIX_LENGTH), rest].map((name) => (name === "" ? undefined : this.read(kv, secretKey(name)))));
    const matching = candidates.filter((s): s is Secret => s !== undefined && (s.arn === secretId || s.arn.slice(0, -SUFFIX_LENGTH) === secretId));
    // As secretNamed: the oldest of those that match.
    return matching.sort((a, b) => a.created - b.created)[0];
  }

  async all(): Promise<Secret[]> {
    const kv = await this.kv();
    const secrets = await mapLimit(await listKeys(kv, "s.*"), READS_IN_FLIGHT, (key) => this.read(kv, key));
    return secrets.filter((s): s is Secret => s !== undefined).sort((a, b) => a.created - b.created);
  }

  async create(secret: Secret): Promise<boolean> {
    const kv = await this.kv();
    for (;;) {
      const entry = await entryOf(kv, secretKey(secret.name));
      if (entry?.operation === "PUT") return false;
      const revision = await putIf(kv, secretKey(secret.name), encodeJson(secret), revisionOf(entry), (e) => sameSecret(e, secret));
      if (revision !== undefined) {
        this.revisions.set(secret, revision);
        return true;
      }
    }
  }

  async put(secret: Secret): Promise<void> {
    const kv = await this.kv();
    const read = this.revisions.get(secret);
    const bytes = encodeJson(secret);
    const revision = read === undefined ? await putValue(kv, secretKey(secret.name), bytes) : await putIf(kv, secretKey(secret.name), bytes, read, (e) => sameSecret(e, secret));
    if (revision === undefined) throw new SecretChangedError(secret.name);
    this.revisions.set(secret, revision);
  }

  async remove(name: string): Promise<void> {
    const kv = await this.kv();
    if ((await entryOf(kv, secretKey(name)))?.operation === "PUT") await deleteKey(kv, secretKey(name));
  }

  async close(): Promise<void> {
    await this.bucket.close();
  }

  /** A fresh copy of the secret stored under `key`, its revision remembered. */
  private async read(kv: KV, key: string): Promise<Secret | undefined> {
    const entry = await entryOf(kv, key);
    if (entry?.operation !== "PUT") return undefined;
    const secret = decodeJson<Secret>(entry);
    this.revisions.set(secret, entry.revision);
    return secret;
  }

  private async kv(): Promise<KV> {
    return (await this.bucket.open()).kv;
  }
}

/** The stored entry is this secret as written (a write whose reply was lost). */
const sameSecret = (entry: KvEntry, secret: Secret): boolean => JSON.stringify(decodeJson(entry)) === JSON.stringify(secret);
