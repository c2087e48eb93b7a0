/**
 * The ObjectStore contract: every implementation (the in-memory one here; a durable store of
 * #4 imports `objectStoreContract` and runs it too) must pass it.
 */
import { describe, expect, it } from "vitest";
import { MemoryObjectStore } from "./memory-object-store.js";
import type { ObjectStore, StoredObject } from "./object-store.js";

const object = (key: string, body = key): StoredObject => ({ key, body, etag: `"${key}"`, lastModified: 1_000, contentType: "text/plain", metadata: { a: "1" }, headers: {} });
const keys = (objects: readonly StoredObject[] | undefined): string[] | undefined => objects?.map((o) => o.key);

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
      expect(keys(await store.list("b", { prefix: "" }))).toEqual(["a", "b/1", "b/10", "b/2", "\uFF21", "\u{1F600}"]);
      expect(keys(await store.list("b", { prefix: "b/" }))).toEqual(["b/1", "b/10", "b/2"]);
      expect(keys(await store.list("b", { prefix: "b/", after: "b/10" }))).toEqual(["b/2"]);
      expect(await store.list("missing", { prefix: "" })).toBeUndefined();
    });
  });
}

objectStoreContract("MemoryObjectStore", () => new MemoryObjectStore());
