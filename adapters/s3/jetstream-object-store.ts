/**
 * The ObjectStore of distributed mode: the S3-like buckets in one JetStream KV bucket
 * (`aslan_s3`) that every worker and node shares.
 *
 * | key                              | value                                         |
 * |----------------------------------|-----------------------------------------------|
 * | b.<bucket>                       | { info, generation, deleting? }               |
 * | o.<bucket>.<generation>.<key>    | StoredObject                                  |
 *
 * Names and keys are base64url tokens. Each bucket, each time it is created, gets a new
 * random generation that its objects are keyed under, so a bucket deleted and created again
 * starts empty whatever a lost write left behind, and CreateBucket can write the bucket's
 * objects first and its record last: nobody sees it without them.
 *
 * KV has no transactions, so DeleteBucket and PutObject agree through the bucket's record:
 * DeleteBucket marks it `deleting` (compare-and-set), lists the objects, then deletes the
 * record or takes the mark back ("not-empty"). PutObject writes the object, then reads the
 * record, waiting while it is marked: if the bucket is gone (or is another generation),
 * DeleteBucket did not see the object, which PutObject removes again and reports the bucket
 * missing. A mark older than STALE_MARK_MS (its DeleteBucket died) is taken back by whoever
 * waits on it; the compare-and-set makes a slow DeleteBucket that comes back start over.
 *
 * Listings read every key of the bucket, then the objects of a page as it is read: fine for
 * buckets of local size.
 */
import { randomBytes, randomUUID } from "node:crypto";
import {
  checkSize, decodeJson, deleteIf, deleteKey, encodeJson, entryOf, JetStreamAdapterBucket, listKeys, putIf, putValue, revisionOf, token, untoken,
  valueOf, valuesAt, valuesOf, type KV, type KvEntry, type OpenedBucket,
} from "../jetstream-adapter-bucket.js";
import { compareKeys, MAX_KEY_BYTES, type BucketInfo, type ListOptions, type ObjectStore, type StoredObject } from "./object-store.js";

export interface JetStreamObjectStoreOptions {
  /** NATS servers (AdapterHost.natsServers). */
  readonly servers: string;
  /** The KV bucket; `aslan_s3` unless given (tests use their own). */
  readonly bucket?: string;
  /** How old a DeleteBucket's mark must be to be taken as left by one that died (STALE_MARK_MS unless given). */
  readonly staleMarkMs?: number;
}

export const OBJECTS_BUCKET = "aslan_s3";

interface BucketRecord {
  readonly info: BucketInfo;
  readonly generation: string;
  /** Set by a DeleteBucket deciding (an id of its own). */
  readonly deleting?: string;
}

/** A bucket record as read, and the revision to compare-and-set against. */
interface Found {
  readonly record: BucketRecord;
  readonly revision: number;
}

/** A DeleteBucket takes milliseconds; a mark this old was left by one that died. */
const STALE_MARK_MS = 10_000;
const POLL_MS = 20;
/** Objects fetched at a time while a listing is read. */
const LIST_BATCH = 32;

const bucketKey = (name: string): string => `b.${token(name)}`;
const objectsOf = (name: string, generation: string): string => `o.${token(name)}.${generation}`;
const objectKey = (name: string, generation: string, key: string): string => `${objectsOf(name, generation)}.${token(key)}`;
/** The object key in a listed KV key (its last token). */
const keyIn = (kvKey: string): string => untoken(kvKey.slice(kvKey.lastIndexOf(".") + 1));
const fits = (key: string): boolean => Buffer.byteLength(key, "utf8") <= MAX_KEY_BYTES;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class JetStreamObjectStore implements ObjectStore {
  private readonly bucketKv: JetStreamAdapterBucket;
  private readonly staleMarkMs: number;

  constructor(options: JetStreamObjectStoreOptions) {
    this.staleMarkMs = options.staleMarkMs ?? STALE_MARK_MS;
    this.bucketKv = new JetStreamAdapterBucket({ servers: options.servers, bucket: options.bucket ?? OBJECTS_BUCKET, connectionName: "aslan-s3" });
  }

  async createBucket(info: BucketInfo, objects: readonly StoredObject[] = []): Promise<boolean> {
    const opened = await this.bucketKv.open();
    const { kv } = opened;
    let entry = await entryOf(kv, bucketKey(info.name));
    if (entry?.operation === "PUT") return false;
    const record: BucketRecord = { info, generation: randomBytes(8).toString("hex") };
    const written = objects.map((o) => ({ key: objectKey(info.name, record.generation, o.key), bytes: encodeObject(opened, o) }));
    await Promise.all(written.map((w) => putValue(kv, w.key, w.bytes)));
    for (;;) {
      const mine = (e: KvEntry): boolean => decodeJson<BucketRecord>(e).generation === record.generation;
      if ((await putIf(kv, bucketKey(info.name), encodeJson(record), revisionOf(entry), mine)) !== undefined) return true;
      entry = await entryOf(kv, bucketKey(info.name));
      if (entry?.operation === "PUT") {
        // Another process created it first: its objects are the bucket's, these are nobody's.
        await Promise.all(written.map((w) => deleteKey(kv, w.key)));
        return false;
      }
    }
  }

  async bucket(name: string): Promise<BucketInfo | undefined> {
    return (await valueOf<BucketRecord>(await this.kv(), bucketKey(name)))?.info;
  }

  async buckets(): Promise<readonly BucketInfo[]> {
    const records = await valuesOf<BucketRecord>(await this.kv(), "b.*");
    return records.map((r) => r.info).sort((a, b) => compareKeys(a.name, b.name));
  }

  async deleteBucket(name: string): Promise<"deleted" | "missing" | "not-empty"> {
    const kv = await this.kv();
    for (;;) {
      const found = await settled(kv, this.staleMarkMs, name);
      if (!found) return "missing";
      const { record, revision } = found;
      const mark = randomUUID();
      const marked = await putIf(kv, bucketKey(name), encodeJson({ ...record, deleting: mark }), revision, (e) => decodeJson<BucketRecord>(e).deleting === mark);
      if (marked === undefined) continue;
      if ((await listKeys(kv, `${objectsOf(name, record.generation)}.*`)).length > 0) {
        // Taken back (unless a waiter took it as stale already: then nothing is left to undo).
        await putIf(kv, bucketKey(name), encodeJson(record), marked, (e) => decodeJson<BucketRecord>(e).deleting === undefined);
        return "not-empty";
      }
      if (await deleteIf(kv, bucketKey(name), marked)) return "deleted";
      // A waiter took the mark as stale: decide again.
    }
  }

  async put(bucket: string, object: StoredObject): Promise<boolean> {
    const opened = await this.bucketKv.open();
    const { kv } = opened;
    const before = await settled(kv, this.staleMarkMs, bucket);
    if (!before) return false;
    const key = objectKey(bucket, before.record.generation, object.key);
    const revision = await putValue(kv, key, encodeObject(opened, object));
    const after = await settled(kv, this.staleMarkMs, bucket);
    if (after?.record.generation === before.record.generation) return true;
    // The bucket went away meanwhile, and its DeleteBucket did not see the object: it was never in the bucket.
    await deleteIf(kv, key, revision);
    return false;
  }

  async get(bucket: string, key: string): Promise<StoredObject | undefined> {
    const kv = await this.kv();
    const record = await valueOf<BucketRecord>(kv, bucketKey(bucket));
    if (!record || !fits(key)) return undefined;
    return valueOf<StoredObject>(kv, objectKey(bucket, record.generation, key));
  }

  async delete(bucket: string, key: string): Promise<boolean> {
    const kv = await this.kv();
    const record = await valueOf<BucketRecord>(kv, bucketKey(bucket));
    if (!record) return false;
    if (!fits(key)) return true;
    const at = objectKey(bucket, record.generation, key);
    // Only an object that is there: a delete marker for every key ever asked for would pile up.
    if ((await entryOf(kv, at))?.operation === "PUT") await deleteKey(kv, at);
    return true;
  }

  async list(bucket: string, options: ListOptions): Promise<AsyncIterable<StoredObject> | undefined> {
    const kv = await this.kv();
    const record = await valueOf<BucketRecord>(kv, bucketKey(bucket));
    if (!record) return undefined;
    if (!fits(options.prefix)) return fetched(kv, []);
    const { after, prefix } = options;
    const keys = (await listKeys(kv, `${objectsOf(bucket, record.generation)}.*`))
      .map((k) => ({ kvKey: k, key: keyIn(k) }))
      .filter((k) => k.key.startsWith(prefix) && (after === undefined || compareKeys(k.key, after) > 0))
      .sort((a, b) => compareKeys(a.key, b.key));
    return fetched(kv, keys.map((k) => k.kvKey));
  }

  async close(): Promise<void> {
    await this.bucketKv.close();
  }

  private async kv(): Promise<KV> {
    return (await this.bucketKv.open()).kv;
  }
}

function encodeObject(opened: OpenedBucket, object: StoredObject): Uint8Array {
  const bytes = encodeJson(object);
  checkSize(opened, bytes, `The object ${JSON.stringify(object.key)}`);
  return bytes;
}

/** The objects under `kvKeys`, in order, fetched a batch at a time as the caller reads (those deleted meanwhile left out). */
async function* fetched(kv: KV, kvKeys: readonly string[]): AsyncGenerator<StoredObject> {
  for (let at = 0; at < kvKeys.length; at += LIST_BATCH) yield* await valuesAt<StoredObject>(kv, kvKeys.slice(at, at + LIST_BATCH));
}

/**
 * The bucket's record once no DeleteBucket is deciding about it (undefined: no bucket). A
 * mark left too long is taken back, compare-and-set, so its DeleteBucket, if alive, starts over.
 */
async function settled(kv: KV, staleMarkMs: number, name: string): Promise<Found | undefined> {
  for (;;) {
    const entry = await entryOf(kv, bucketKey(name));
    if (entry?.operation !== "PUT") return undefined;
    const record = decodeJson<BucketRecord>(entry);
    if (record.deleting === undefined) return { record, revision: entry.revision };
    if (Date.now() - entry.created.getTime() > staleMarkMs) {
      const { deleting: _, ...unmarked } = record;
      await putIf(kv, bucketKey(name), encodeJson(unmarked), entry.revision, (e) => decodeJson<BucketRecord>(e).deleting === undefined);
    } else {
      await sleep(POLL_MS);
    }
  }
}
