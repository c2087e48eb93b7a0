/**
 * Adapter data in distributed mode (`aslan worker --nats`, `aslan serve --nats`): one
 * JetStream KV bucket per adapter (`aslan_dynamodb`, `aslan_s3`, `aslan_secrets`), shared
 * by every process. Adapter factories are synchronous, so the connection is made by the
 * first operation (which awaits it) and closed by close().
 *
 * What the adapters' JetStream stores share lives here: key tokens (KV keys allow only
 * [-/_=.a-zA-Z0-9]), reads that ride out a server restart, and compare-and-set writes
 * that recognise their own write when the server's reply was lost.
 */
import { createHash } from "node:crypto";
import { StorageType } from "@nats-io/jetstream";
import { Kvm, type KV, type KvEntry } from "@nats-io/kv";
import { connectJetStream, isTransient, retrying, type JetStreamLink } from "../runtime/nats/jetstream-connection.js";
import { isWrongSequence, listKeys, mapLimit } from "../runtime/nats/jetstream-store-kv.js";
import { token } from "../runtime/nats/jetstream-store-keys.js";

export type { KV, KvEntry };
export { token, untoken } from "../runtime/nats/jetstream-store-keys.js";

export interface AdapterBucketOptions {
  /** NATS servers, e.g. `nats://127.0.0.1:4222` (comma-separated for several). */
  readonly servers: string;
  /** The KV bucket (letters, digits, '-' and '_'). */
  readonly bucket: string;
  /** Shown in the server's connection list. */
  readonly connectionName: string;
}

/** An opened bucket, and the largest message its server takes. */
export interface OpenedBucket {
  readonly kv: KV;
  readonly maxPayload: number;
  readonly name: string;
}

/** Room left in a message for the headers a KV write adds. */
const HEADER_ROOM = 1024;

export class JetStreamAdapterBucket {
  private opened: Promise<OpenedBucket> | undefined;
  private link: JetStreamLink | undefined;
  private closed = false;

  constructor(private readonly options: AdapterBucketOptions) {}

  get name(): string {
    return this.options.bucket;
  }

  /** The bucket, connecting (and creating it when missing) on the first call. */
  open(): Promise<OpenedBucket> {
    if (this.closed) return Promise.reject(new Error(`the JetStream KV bucket ${this.options.bucket} is closed`));
    this.opened ??= this.connect();
    return this.opened;
  }

  /** Closes the connection; one still being made is closed when it is. */
  async close(): Promise<void> {
    this.closed = true;
    const link = this.link;
    this.link = undefined;
    await link?.nc.close();
  }

  private async connect(): Promise<OpenedBucket> {
    const link = await connectJetStream({ servers: this.options.servers, name: this.options.connectionName });
    if (this.closed) {
      await link.nc.close();
      throw new Error(`the JetStream KV bucket ${this.options.bucket} is closed`);
    }
    this.link = link;
    // One value per key; every process creates it with the same settings, so creating twice is harmless.
    const kv = await retrying(() => new Kvm(link.js).create(this.options.bucket, { history: 1, storage: StorageType.File }));
    return { kv, maxPayload: link.nc.info?.max_payload ?? 1024 * 1024, name: this.options.bucket };
  }
}

/** Tokens longer than this become a hash, which keeps keys within NATS's subject length. */
const MAX_TOKEN = 1024;

/**
 * A string as one key token: its base64url (reversible), or for a long one `=` and its
 * SHA-256 (base64url never holds `=`, so the two never meet).
 */
export function keyToken(s: string): string {
  const t = token(s);
  return t.length <= MAX_TOKEN ? t : `=${createHash("sha256").update(s, "utf8").digest("base64url")}`;
}

export const encodeJson = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
export const decodeJson = <T>(entry: KvEntry): T => entry.json<T>();

/** The entry under `key` as stored: a value, a delete marker, or undefined when never written. */
export async function entryOf(kv: KV, key: string): Promise<KvEntry | undefined> {
  return (await retrying(() => kv.get(key))) ?? undefined;
}

/** The value under `key`, or undefined when it is absent or deleted. */
export async function valueOf<T>(kv: KV, key: string): Promise<T | undefined> {
  const entry = await entryOf(kv, key);
  return entry?.operation === "PUT" ? decodeJson<T>(entry) : undefined;
}

/** The revision a compare-and-set against `entry` expects (0: no message under the key). */
export const revisionOf = (entry: KvEntry | undefined): number => entry?.revision ?? 0;

/** The values of every key matching `filter`, in no particular order (keys deleted meanwhile are left out). */
export async function valuesOf<T>(kv: KV, filter: string): Promise<T[]> {
  return valuesAt<T>(kv, await listKeys(kv, filter));
}

/** The values under `keys`, in their order (keys deleted meanwhile are left out). */
export async function valuesAt<T>(kv: KV, keys: readonly string[]): Promise<T[]> {
  const values = await mapLimit(keys, READS_IN_FLIGHT, (key) => valueOf<T>(kv, key));
  return values.filter((v): v is Awaited<T> => v !== undefined) as T[];
}

const READS_IN_FLIGHT = 64;

export { listKeys, mapLimit };

/** Throws a clear error when `bytes` would not fit in one message of the bucket's server. */
export function checkSize(bucket: OpenedBucket, bytes: Uint8Array, what: string): void {
  if (bytes.length + HEADER_ROOM > bucket.maxPayload) {
    throw new Error(
      `${what} is ${bytes.length} bytes as stored, more than one message of the NATS server takes (max_payload ${bucket.maxPayload} bytes, ` +
        `less ${HEADER_ROOM} for headers); raise max_payload in the server's config to keep it in the JetStream KV bucket ${bucket.name}`,
    );
  }
}

/**
 * Writes `value` under `key` only if the key's last revision is still `revision` (0: never
 * written). Resolves with the new revision, or undefined when another write came first. A
 * write whose reply was lost (a server restart) is looked up: `isMine` tells whether the
 * entry now stored is the one this call wrote.
 */
export function putIf(kv: KV, key: string, value: Uint8Array, revision: number, isMine: (entry: KvEntry) => boolean): Promise<number | undefined> {
  return casWrite(kv, key, revision, () => kv.put(key, value, { previousSeq: revision }), (entry) => entry.operation === "PUT" && isMine(entry));
}

/** Deletes `key` only if its last revision is still `revision`; false when another write came first. */
export async function deleteIf(kv: KV, key: string, revision: number): Promise<boolean> {
  // A delete marker found after a lost reply is taken as this call's: either way the key is gone.
  const done = await casWrite(kv, key, revision, async () => (await kv.delete(key, { previousSeq: revision }), 0), (entry) => entry.operation !== "PUT");
  return done !== undefined;
}

async function casWrite(kv: KV, key: string, revision: number, write: () => Promise<number>, isMine: (entry: KvEntry) => boolean): Promise<number | undefined> {
  let uncertain = false;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1_000)) {
    if (uncertain) {
      // An earlier attempt whose reply was lost may have been stored (or sent late, from the client's buffer).
      const now = await entryOf(kv, key);
      if (revisionOf(now) !== revision) return now && isMine(now) ? now.revision : undefined;
    }
    try {
      return await write();
    } catch (error) {
      if (isWrongSequence(error)) {
        if (!uncertain) return undefined;
        continue;
      }
      if (!isTransient(error)) throw error;
      uncertain = true;
      await new Promise((resolve) => globalThis.setTimeout(resolve, delay));
    }
  }
}

/** Writes `value` under `key` whatever is stored (retried while the server is away). */
export function putValue(kv: KV, key: string, value: Uint8Array): Promise<number> {
  return retrying(() => kv.put(key, value));
}

/** Deletes `key` whatever is stored (retried while the server is away). */
export function deleteKey(kv: KV, key: string): Promise<void> {
  return retrying(() => kv.delete(key));
}
