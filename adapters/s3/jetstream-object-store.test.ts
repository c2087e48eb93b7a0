/**
 * What only the JetStream ObjectStore has (object-store-contract.test.ts runs the contract on
 * it): stores on separate connections, as separate processes have, share the buckets; the
 * config's buckets are seeded once however many processes start at once, and never over
 * what Tasks wrote; a DeleteBucket that died mid-way does not block the bucket for good.
 */
import { Kvm } from "@nats-io/kv";
import { describe, expect, it } from "vitest";
import { connectJetStream } from "../../runtime/nats/jetstream-connection.js";
import type { AdapterTask } from "../../runtime/ports/adapter.js";
import { parseResource } from "../../translators/dataflow/resource.js";
import type { JsonObject } from "../../translators/json.js";
import { natsForFile } from "../../test/support/nats-for-file.js";
import { token } from "../jetstream-adapter-bucket.js";
import { createS3Adapter } from "./index.js";
import { JetStreamObjectStore } from "./jetstream-object-store.js";
import type { S3Adapter } from "./s3-adapter.js";
import type { StoredObject } from "./object-store.js";

const nats = natsForFile();

function storeOn(bucket: string, staleMarkMs?: number): JetStreamObjectStore {
  const store = new JetStreamObjectStore({ servers: nats.url, bucket, ...(staleMarkMs !== undefined ? { staleMarkMs } : {}) });
  nats.atEnd(() => store.close());
  return store;
}
const object = (key: string, body = key): StoredObject => ({ key, body, etag: `"${key}"`, lastModified: 1_000, contentType: "text/plain", metadata: {}, headers: {} });

describe("JetStreamObjectStore shared by processes", () => {
  it("shows one connection's buckets and objects to another; DeleteBucket sees the other's objects", async () => {
    const bucket = nats.freshBucket();
    const [a, b] = [storeOn(bucket), storeOn(bucket)];
    expect(await a.createBucket({ name: "shared", creationDate: 1_000 })).toBe(true);
    expect(await b.createBucket({ name: "shared", creationDate: 2_000 })).toBe(false);
    expect(await a.put("shared", object("k", "from a"))).toBe(true);
    expect(await b.get("shared", "k")).toEqual(object("k", "from a"));
    expect(await b.deleteBucket("shared")).toBe("not-empty");
    expect(await b.delete("shared", "k")).toBe(true);
    expect(await a.deleteBucket("shared")).toBe("deleted");
    expect(await b.bucket("shared")).toBeUndefined();
  });

  it("of many creating one bucket with objects at once, one wins, and its objects are the bucket's", async () => {
    const bucket = nats.freshBucket();
    const stores = Array.from({ length: 4 }, () => storeOn(bucket));
    const created = await Promise.all(stores.map((s, i) => s.createBucket({ name: "race", creationDate: i }, [object("k", `by ${i}`), object(`only-${i}`)])));
    expect(created.filter(Boolean)).toHaveLength(1);
    const winner = created.indexOf(true);
    for (const s of stores) {
      expect(await s.bucket("race")).toEqual({ name: "race", creationDate: winner });
      const keys: string[] = [];
      for await (const o of (await s.list("race", { prefix: "" })) ?? []) keys.push(`${o.key}=${o.body}`);
      expect(keys).toEqual([`k=by ${winner}`, `only-${winner}=only-${winner}`]);
    }
  });

  it("takes back a DeleteBucket's mark left by a process that died, so puts go on", async () => {
    const bucket = nats.freshBucket();
    const store = storeOn(bucket, 300);
    await store.createBucket({ name: "marked", creationDate: 0 });
    // What a DeleteBucket that died after marking leaves: the bucket's record with a mark.
    const link = await connectJetStream({ servers: nats.url });
    nats.atEnd(() => link.nc.close());
    const kv = await new Kvm(link.js).open(bucket);
    const key = `b.${token("marked")}`;
    const entry = await kv.get(key);
    await kv.update(key, JSON.stringify({ ...entry?.json<object>(), deleting: "dead" }), entry?.revision ?? 0);
    const started = Date.now();
    expect(await store.put("marked", object("k"))).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(await store.get("marked", "k")).toEqual(object("k"));
    expect(await store.deleteBucket("marked")).toBe("not-empty");
  });
});

const task = (action: string, payload: JsonObject): AdapterTask => ({
  taskId: "t", resource: parseResource(`arn:aws:states:::aws-sdk:s3:${action}`), payload, stateName: "S", executionArn: "arn", signal: new AbortController().signal, heartbeat: () => undefined,
});

describe("createS3Adapter in distributed mode", () => {
  it("seeds the config's buckets once for processes starting at once, and never over what Tasks wrote", async () => {
    const config = { buckets: { docs: { objects: { "a.txt": "seeded", "b.txt": "seeded too" } } } };
    const start = (): S3Adapter => {
      const adapter = createS3Adapter(config, { natsServers: nats.url }) as S3Adapter;
      nats.atEnd(() => adapter.close());
      return adapter;
    };
    const [first, second, third] = [start(), start(), start()];
    await Promise.all([first, second, third].map((a) => a.run(task("headBucket", { Bucket: "docs" }))));
    expect(await second.run(task("getObject", { Bucket: "docs", Key: "b.txt" }))).toMatchObject({ Body: "seeded too" });
    await first.run(task("putObject", { Bucket: "docs", Key: "a.txt", Body: "written by a Task" }));
    await second.run(task("deleteObject", { Bucket: "docs", Key: "b.txt" }));
    // A process started later finds the bucket and leaves it as the Tasks left it (a Task's string Body is stored as JSON text).
    const later = start();
    expect(await later.run(task("getObject", { Bucket: "docs", Key: "a.txt" }))).toMatchObject({ Body: JSON.stringify("written by a Task") });
    await expect(later.run(task("getObject", { Bucket: "docs", Key: "b.txt" }))).rejects.toMatchObject({ error: "S3.NoSuchKeyException" });
    expect(await third.run(task("listObjectsV2", { Bucket: "docs" }))).toMatchObject({ KeyCount: 1, Contents: [{ Key: "a.txt" }] });
  });
});
