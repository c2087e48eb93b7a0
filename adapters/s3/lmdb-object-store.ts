/**
 * The durable ObjectStore: one LMDB environment in `<data dir>/adapters/s3` (the only file of
 * this adapter that imports `lmdb`). Keys are raw bytes, so LMDB's own order is S3's (UTF-8
 * bytes) and a listing is one range read:
 *
 * | key                     | value        |
 * |-------------------------|--------------|
 * | `m/format`              | format record (../lmdb-adapter-store.ts) |
 * | `b/<bucket>`            | BucketInfo   |
 * | `o/<bucket>/<key>`      | StoredObject |
 *
 * Bucket names hold no `/`, so `o/<bucket>/` names one bucket's objects. Object keys are at
 * most MAX_KEY_BYTES (S3's limit), well inside LMDB's key size; a longer key names no object. A write resolves
 * once committed (and, by default, synced to disk). An object write is conditional on its
 * bucket's record in the same transaction, so it never lands in a bucket deleted meanwhile;
 * DeleteBucket counts the puts in flight as objects, so it never removes a bucket one is about
 * to land in.
 */
import { IF_EXISTS, open, type RootDatabase } from "lmdb";
import { ADAPTER_STORE_FORMAT, checkFormat, prepareDataDir } from "../lmdb-adapter-store.js";
import { MAX_KEY_BYTES, type BucketInfo, type ListOptions, type ObjectStore, type StoredObject } from "./object-store.js";

export interface LmdbObjectStoreOptions {
  /** A directory (created if missing) holding `data.mdb` and `lock.mdb`. */
  readonly path: string;
  /** "flushed" (default): writes resolve once synced to disk; "committed": once visible (they survive a crash of the process, not of the machine). */
  readonly durability?: "flushed" | "committed";
}

type Database = RootDatabase<unknown, Buffer>;

const FORMAT_KEY = Buffer.from("m/format");
const bucketKey = (name: string): Buffer => Buffer.from(`b/${name}`);
const objectsOf = (bucket: string): Buffer => Buffer.from(`o/${bucket}/`);
const objectKey = (bucket: string, key: string): Buffer => Buffer.concat([objectsOf(bucket), Buffer.from(key, "utf8")]);
/** The first key past every key that starts with `prefix`. */
const pastPrefix = (prefix: Buffer): Buffer => {
  const end = Buffer.from(prefix);
  end[end.length - 1] = (end[end.length - 1] as number) + 1;
  return end;
};
const fits = (key: string): boolean => Buffer.byteLength(key, "utf8") <= MAX_KEY_BYTES;
const startsWith = (key: Buffer, prefix: Buffer): boolean => key.length >= prefix.length && key.subarray(0, prefix.length).equals(prefix);

export class LmdbObjectStore implements ObjectStore {
  /** Object writes queued but not landed, per bucket: DeleteBucket treats them as objects. */
  private readonly inFlight = new Map<string, number>();

  private constructor(
    private readonly db: Database,
    private readonly durable: boolean,
  ) {}

  /** Opens (or creates) the store; throws StoreCorruptionError for a data file that is not LMDB's or a format it does not know. */
  static open(options: LmdbObjectStoreOptions): LmdbObjectStore {
    prepareDataDir(options.path);
    const db: Database = open({ path: options.path, keyEncoding: "binary", encoding: "json" });
    try {
      if (checkFormat(options.path, db.get(FORMAT_KEY), db.getKeysCount({ limit: 1 }) > 0) === "new") db.putSync(FORMAT_KEY, { formatVersion: ADAPTER_STORE_FORMAT });
    } catch (error) {
      void db.close();
      throw error;
    }
    return new LmdbObjectStore(db, options.durability !== "committed");
  }

  async createBucket(bucket: BucketInfo, objects: readonly StoredObject[] = []): Promise<boolean> {
    const key = bucketKey(bucket.name);
    return this.landed(
      this.db.ifNoExists(key, () => {
        void this.db.put(key, bucket);
        for (const object of objects) void this.db.put(objectKey(bucket.name, object.key), object);
      }),
    );
  }

  async bucket(name: string): Promise<BucketInfo | undefined> {
    return this.db.get(bucketKey(name)) as BucketInfo | undefined;
  }

  async buckets(): Promise<readonly BucketInfo[]> {
    const prefix = Buffer.from("b/");
    return [...this.db.getRange({ start: prefix, end: pastPrefix(prefix) })].map((e) => e.value as BucketInfo);
  }

  async deleteBucket(name: string): Promise<"deleted" | "missing" | "not-empty"> {
    const key = bucketKey(name);
    if (!this.db.doesExist(key)) return "missing";
    if ((this.inFlight.get(name) ?? 0) > 0 || this.db.getKeysCount({ start: objectsOf(name), end: pastPrefix(objectsOf(name)), limit: 1 }) > 0) return "not-empty";
    // Conditional, so that of two racing deletes one reports the bucket missing.
    return (await this.landed(this.db.ifVersion(key, IF_EXISTS, () => void this.db.remove(key)))) ? "deleted" : "missing";
  }

  async put(bucket: string, object: StoredObject): Promise<boolean> {
    this.inFlight.set(bucket, (this.inFlight.get(bucket) ?? 0) + 1);
    try {
      return await this.inBucket(bucket, () => void this.db.put(objectKey(bucket, object.key), object));
    } finally {
      const left = (this.inFlight.get(bucket) ?? 1) - 1;
      if (left > 0) this.inFlight.set(bucket, left);
      else this.inFlight.delete(bucket);
    }
  }

  async get(bucket: string, key: string): Promise<StoredObject | undefined> {
    return fits(key) ? (this.db.get(objectKey(bucket, key)) as StoredObject | undefined) : undefined;
  }

  async delete(bucket: string, key: string): Promise<boolean> {
    return this.inBucket(bucket, () => void (fits(key) && this.db.remove(objectKey(bucket, key))));
  }

  async list(bucket: string, options: ListOptions): Promise<Iterable<StoredObject> | undefined> {
    if (!this.db.doesExist(bucketKey(bucket))) return undefined;
    if (!fits(options.prefix)) return [];
    const wanted = objectKey(bucket, options.prefix);
    // Every key after a longer `after` also sorts after its first MAX_KEY_BYTES bytes (and is not them).
    const after = options.after === undefined ? undefined : Buffer.concat([objectsOf(bucket), Buffer.from(options.after, "utf8").subarray(0, MAX_KEY_BYTES)]);
    // Start after `after` when it is inside the prefix's range; at the prefix otherwise.
    const fromAfter = after !== undefined && Buffer.compare(after, wanted) >= 0;
    const range = this.db.getRange({ start: fromAfter ? after : wanted, exclusiveStart: fromAfter, end: pastPrefix(objectsOf(bucket)) });
    return readWhile(range, wanted);
  }

  async close(): Promise<void> {
    await this.db.flushed;
    await this.db.close();
  }

  /** Runs `write` in a transaction only if the bucket exists then; false when it did not. */
  private inBucket(bucket: string, write: () => void): Promise<boolean> {
    return this.landed(this.db.ifVersion(bucketKey(bucket), IF_EXISTS, write));
  }

  /** Whether a conditional write landed, once it is as durable as the store promises. */
  private async landed(write: Promise<boolean>): Promise<boolean> {
    const done = await write;
    if (this.durable) await this.db.flushed;
    return done;
  }
}

/** The objects of a range read while their keys start with `prefix` (read lazily). */
function* readWhile(range: Iterable<{ key: Buffer; value: unknown }>, prefix: Buffer): Generator<StoredObject> {
  for (const entry of range) {
    if (!startsWith(entry.key, prefix)) return;
    yield entry.value as StoredObject;
  }
}
