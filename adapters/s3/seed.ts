/**
 * The config's buckets and their objects, put in the store when the adapter starts. A bucket
 * the store has already (a durable store, from an earlier run, or one another process of a
 * distributed installation created) is left as it is: what Tasks wrote there is not
 * overwritten by the config's objects. A bucket is created with its objects at once, so a
 * process that finds it never finds it without them.
 */
import type { BucketConfig } from "../../runtime/config/project-config.js";
import type { ObjectStore, StoredObject } from "./object-store.js";
import { wholeSeconds } from "./operations/buckets.js";
import { etagOf } from "./operations/objects.js";

export async function seedBuckets(store: ObjectStore, buckets: Readonly<Record<string, BucketConfig>>, now: number): Promise<void> {
  const at = wholeSeconds(now);
  for (const [name, bucket] of Object.entries(buckets)) {
    const objects = Object.entries(bucket.objects ?? {}).map(([key, body]): StoredObject => (
      { key, body, etag: etagOf(body), lastModified: at, contentType: "binary/octet-stream", metadata: {}, headers: {} }
    ));
    await store.createBucket({ name, creationDate: at }, objects);
  }
}
