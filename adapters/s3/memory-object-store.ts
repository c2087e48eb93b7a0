/** The ObjectStore in memory: buckets and objects live as long as the process. */
import { compareKeys, type BucketInfo, type ListOptions, type ObjectStore, type StoredObject } from "./object-store.js";

interface Bucket {
  readonly info: BucketInfo;
  readonly objects: Map<string, StoredObject>;
}

export class MemoryObjectStore implements ObjectStore {
  private readonly store = new Map<string, Bucket>();

  async createBucket(bucket: BucketInfo, objects: readonly StoredObject[] = []): Promise<boolean> {
    if (this.store.has(bucket.name)) return false;
    this.store.set(bucket.name, { info: bucket, objects: new Map(objects.map((o) => [o.key, o])) });
    return true;
  }

  async bucket(name: string): Promise<BucketInfo | undefined> {
    return this.store.get(name)?.info;
  }

  async buckets(): Promise<readonly BucketInfo[]> {
    return [...this.store.values()].map((b) => b.info).sort((a, b) => compareKeys(a.name, b.name));
  }

  async deleteBucket(name: string): Promise<"deleted" | "missing" | "not-empty"> {
    const bucket = this.store.get(name);
    if (!bucket) return "missing";
    if (bucket.objects.size > 0) return "not-empty";
    this.store.delete(name);
    return "deleted";
  }

  async put(bucket: string, object: StoredObject): Promise<boolean> {
    const b = this.store.get(bucket);
    b?.objects.set(object.key, object);
    return b !== undefined;
  }

  async get(bucket: string, key: string): Promise<StoredObject | undefined> {
    return this.store.get(bucket)?.objects.get(key);
  }

  async delete(bucket: string, key: string): Promise<boolean> {
    const b = this.store.get(bucket);
    b?.objects.delete(key);
    return b !== undefined;
  }

  async list(bucket: string, options: ListOptions): Promise<readonly StoredObject[] | undefined> {
    const b = this.store.get(bucket);
    if (!b) return undefined;
    const after = options.after;
    return [...b.objects.values()]
      .filter((o) => o.key.startsWith(options.prefix) && (after === undefined || compareKeys(o.key, after) > 0))
      .sort((x, y) => compareKeys(x.key, y.key));
  }
}
