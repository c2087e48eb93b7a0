/**
 * The ObjectStore contract: every implementation (MemoryObjectStore, LmdbObjectStore in a
 * temp directory, and JetStreamObjectStore against a real nats-server, a bucket per store)
 * must pass it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { natsForFile } from "../../test/support/nats-for-file.js";
import { JetStreamObjectStore } from "./jetstream-object-store.js";
import { LmdbObjectStore } from "./lmdb-object-store.js";
import { MemoryObjectStore } from "./memory-object-store.js";
import type { ObjectStore, StoredObject } from "./object-store.js";

const object = (key: string, body = key): StoredObject => ({ key, body, etag: `"${key}"`, lastModified: 1_000, contentType: "text/plain", metadata: { a: "1" }, headers: {} });
async function keys(objects: Iterable<StoredObject> | AsyncIterable<StoredObject> | undefined): Promise<string[] | undefined> {
  if (!objects) return undefined;
  const found: string[] = [];
  for await (const o of objects) found.push(o.key);
  return found;
}

/** Runs the contract against stores made by `make` (each test gets a fresh, empty one). */
export function objectStoreContract(name: string, make: () => Promise<ObjectStore> | ObjectStore): void {
  describe(`ObjectStore contract: ${name}`, () => {
    it("creates a bucket once, finds it, lists buckets by name", async () => {
      const store = await make();
      expect(await store.createBucket({ name: "b", creationDate: 2_000 })).toBe(true);
      expect(await store.createBucket({ name: "b", creationDate: 3_000 })).toBe(false);
      expect(await store.createBucket({ name: "a", creationDate: 4_000 })).toBe(true);
      expect(await store.bucket("b")).toEqual({ name: "b", creationDate: 2_000 });
      expect(await store.bucket("c")).toBeUndefined();
      expect((await store.buckets()).map((b) => b.name)).toEqual(["a", "b"]);
    });

    it("puts, replaces, gets and deletes objects; a missing bucket says so", async () => {
      const store = await make();
      await store.createBucket({ name: "b", creationDate: 0 });
      expect(await store.put("b", object("k", "one"))).toBe(true);
      expect(await store.put("b", object("k", "two"))).toBe(true);
      expect(await store.get("b", "k")).toEqual(object("k", "two"));
      expect(await store.get("b", "nope")).toBeUndefined();
      expect(await store.put("missing", object("k"))).toBe(false);
      expect(await store.get("missing", "k")).toBeUndefined();
      expect(await store.delete("b", "k")).toBe(true);
      expect(await store.delete("b", "k")).toBe(true);
      expect(await store.get("b", "k")).toBeUndefined();
      expect(await store.delete("missing", "k")).toBe(false);
    });

    it("creates a bucket with objects at once, or leaves one that exists as it is", async () => {
      const store = await make();
      expect(await store.createBucket({ name: "b", creationDate: 2_000 }, [object("x", "1"), object("y", "2")])).toBe(true);
      expect(await keys(await store.list("b", { prefix: "" }))).toEqual(["x", "y"]);
      await store.delete("b", "x");
      expect(await store.createBucket({ name: "b", creationDate: 3_000 }, [object("x", "again"), object("z")])).toBe(false);
      expect(await keys(await store.list("b", { prefix: "" }))).toEqual(["y"]);
      expect(await store.bucket("b")).toEqual({ name: "b", creationDate: 2_000 });
    });

    it("deletes only empty buckets", async () => {
      const store = await make();
      await store.createBucket({ name: "b", creationDate: 0 });
      await store.put("b", object("k"));
      expect(await store.deleteBucket("b")).toBe("not-empty");
      await store.delete("b", "k");
      expect(await store.deleteBucket("b")).toBe("deleted");
      expect(await store.deleteBucket("b")).toBe("missing");
      expect(await store.bucket("b")).toBeUndefined();
    });

    it("lists by prefix after a key, in UTF-8 byte order", async () => {
      const store = await make();
      await store.createBucket({ name: "b", creationDate: 0 });
      // In UTF-16 code units U+1F600 (D83D DE00) sorts before U+FF21; in UTF-8 bytes (F0… > EF…) after it, as S3 sorts.
      for (const key of ["b/2", "a", "b/1", "\u{1F600}", "\uFF21", "b/10"]) await store.put("b", object(key));
      expect(await keys(await store.list("b", { prefix: "" }))).toEqual(["a", "b/1", "b/10", "b/2", "\uFF21", "\u{1F600}"]);
      expect(await keys(await store.list("b", { prefix: "b/" }))).toEqual(["b/1", "b/10", "b/2"]);
      expect(await keys(await store.list("b", { prefix: "b/", after: "b/10" }))).toEqual(["b/2"]);
      expect(await store.list("missing", { prefix: "" })).toBeUndefined();
    });

    it("lists keys of S3's greatest length, and none for a longer prefix; a longer marker lists what sorts after it", async () => {
      const store = await make();
      await store.createBucket({ name: "b", creationDate: 0 });
      const long = "k".repeat(1023);
      for (const key of [`${long}a`, `${long}b`, "z"]) await store.put("b", object(key));
      expect(await keys(await store.list("b", { prefix: long }))).toEqual([`${long}a`, `${long}b`]);
      expect(await keys(await store.list("b", { prefix: `${long}ab` }))).toEqual([]);
      expect(await keys(await store.list("b", { prefix: "", after: `${long}a${"x".repeat(100)}` }))).toEqual([`${long}b`, "z"]);
      expect(await store.get("b", `${long}ab`)).toBeUndefined();
    });

    it("a put issued with a DeleteBucket (either first): the bucket keeps the object, or is gone and the put says so", async () => {
      const store = await make();
      for (const putFirst of [true, false]) {
        await store.createBucket({ name: "b", creationDate: 0 });
        const put = (): Promise<boolean> => store.put("b", object("k"));
        const drop = (): Promise<"deleted" | "missing" | "not-empty"> => store.deleteBucket("b");
        const [stored, deleted] = putFirst ? await Promise.all([put(), drop()]) : await Promise.all([drop(), put()]).then(([d, p]) => [p, d] as const);
        if (deleted === "deleted") {
          expect(stored).toBe(false);
          // Recreated, the bucket is empty: nothing of the lost put lingers.
          await store.createBucket({ name: "b", creationDate: 1 });
          expect(await keys(await store.list("b", { prefix: "" }))).toEqual([]);
        } else {
          expect([stored, deleted]).toEqual([true, "not-empty"]);
          expect(await keys(await store.list("b", { prefix: "" }))).toEqual(["k"]);
        }
        await store.delete("b", "k");
        expect(await store.deleteBucket("b")).toBe("deleted");
      }
    });
  });
}

objectStoreContract("MemoryObjectStore", () => new MemoryObjectStore());

const dirs: string[] = [];
const opened: ObjectStore[] = [];
afterAll(async () => {
  for (const store of opened.splice(0)) await store.close?.();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

objectStoreContract("LmdbObjectStore", () => {
  const dir = mkdtempSync(join(tmpdir(), "aslan-s3-contract-"));
  dirs.push(dir);
  const store = LmdbObjectStore.open({ path: join(dir, "s3"), durability: "committed" });
  opened.push(store);
  return store;
});

// One nats-server for the file; every store gets a bucket of its own.
const nats = natsForFile();
objectStoreContract("JetStreamObjectStore", () => {
  const store = new JetStreamObjectStore({ servers: nats.url, bucket: nats.freshBucket() });
  nats.atEnd(() => store.close());
  return store;
});
