/**
 * The ObjectStore port: where the S3-like buckets keep their objects (MemoryObjectStore,
 * LmdbObjectStore under a data directory, JetStreamObjectStore in distributed mode). Small on purpose: buckets by name, whole objects by
 * key, and a listing in S3's key order (UTF-8 bytes). What S3 answers (errors, result shapes, paging) is decided
 * above it, in `operations/`.
 */

export interface BucketInfo {
  readonly name: string;
  /** Epoch milliseconds. */
  readonly creationDate: number;
}

/** Headers S3 keeps with an object and gives back on GetObject/HeadObject. */
export type ObjectHeaders = Readonly<Partial<Record<"CacheControl" | "ContentDisposition" | "ContentEncoding" | "ContentLanguage", string>>>;

export interface StoredObject {
  readonly key: string;
  /** The content as text: what a Task's `Body` became (Step Functions hands S3 text, and reads it back as text). */
  readonly body: string;
  /** The quoted MD5 of the content, as S3 writes single-part ETags. */
  readonly etag: string;
  /** Epoch milliseconds, whole seconds (S3's precision). */
  readonly lastModified: number;
  readonly contentType: string;
  /** User metadata (`x-amz-meta-*`), keys in lower case. */
  readonly metadata: Readonly<Record<string, string>>;
  readonly headers: ObjectHeaders;
}

export interface ListOptions {
  /** Only keys that start with it. */
  readonly prefix: string;
  /** Only keys that sort after it. */
  readonly after?: string;
}

export interface ObjectStore {
  /**
   * Creates a bucket holding `objects` (none unless given), all at once: nobody sees the
   * bucket without them. False when one of that name exists (nothing changes).
   */
  createBucket(bucket: BucketInfo, objects?: readonly StoredObject[]): Promise<boolean>;
  bucket(name: string): Promise<BucketInfo | undefined>;
  /** Every bucket, by name. */
  buckets(): Promise<readonly BucketInfo[]>;
  /** Removes a bucket if it exists and is empty. */
  deleteBucket(name: string): Promise<"deleted" | "missing" | "not-empty">;
  /** Stores an object, replacing the one at its key; false when the bucket does not exist. */
  put(bucket: string, object: StoredObject): Promise<boolean>;
  /** The object at `key`; undefined when it (or its bucket) does not exist. */
  get(bucket: string, key: string): Promise<StoredObject | undefined>;
  /** Removes the object at `key` if there is one; false when the bucket does not exist. */
  delete(bucket: string, key: string): Promise<boolean>;
  /**
   * The bucket's objects that match, in key order (UTF-8 bytes), read as the caller iterates
   * (a page stops early); undefined when the bucket does not exist.
   */
  list(bucket: string, options: ListOptions): Promise<Iterable<StoredObject> | AsyncIterable<StoredObject> | undefined>;
  /** Closes what the store opened (its files); it is not used after. */
  close?(): Promise<void>;
}

/** S3's limit on a key's length, in UTF-8 bytes: no stored object has a longer key (PutObject refuses it). */
export const MAX_KEY_BYTES = 1024;

/** S3's key order: by the keys' UTF-8 bytes (not JavaScript's UTF-16 order). */
export const compareKeys = (a: string, b: string): number => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
