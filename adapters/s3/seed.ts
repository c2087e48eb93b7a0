/**
 * The config's buckets and their objects, put in the store when the adapter starts. A bucket
 * the store has already (a durable store, from an earlier run) is left as it is: what Tasks
 * wrote there is not overwritten by the config's objects.
 */
import type { BucketConfig } from "../../runtime/config/project-config.js";
import type { ObjectStore, StoredObject } from "./object-store.js";
import { wholeSeconds } from "./operations/buckets.js";
import { etagOf } from "./operations/objects.js";

export async function seedBuckets(store: ObjectStore, buckets: Readonly<Record<string, BucketConfig>>, now: number): Promise<void> {
  const at = wholeSeconds(now);
  for (const [name, bucket] of Object.entries(buckets)) {
    if (!(await store.createBucket({ name, creationDate: at }))) continue;
    const objects = Object.entries(bucket.objects ?? {}).map(([key, body]): StoredObject => (
      { key, body, etag: etagOf(body), lastModified: at, contentType: "binary/octet-stream", metadata: {}, headers: {} }
    ));
    // Issued together: a durable store writes them in one transaction.
    await Promise.all(objects.map((object) => store.put(name, object)));
  }
}
