/** The config's buckets and their objects, put in the store when the adapter starts. */
import type { BucketConfig } from "../../runtime/config/project-config.js";
import type { ObjectStore, StoredObject } from "./object-store.js";
import { wholeSeconds } from "./operations/buckets.js";
import { etagOf } from "./operations/objects.js";

export async function seedBuckets(store: ObjectStore, buckets: Readonly<Record<string, BucketConfig>>, now: number): Promise<void> {
  const at = wholeSeconds(now);
  for (const [name, bucket] of Object.entries(buckets)) {
    await store.createBucket({ name, creationDate: at });
    for (const [key, body] of Object.entries(bucket.objects ?? {})) {
      const object: StoredObject = { key, body, etag: etagOf(body), lastModified: at, contentType: "binary/octet-stream", metadata: {}, headers: {} };
      await store.put(name, object);
    }
  }
}
