/**
 * What LmdbObjectStore adds to the ObjectStore contract (object-store-contract.test.ts runs
 * that on it): buckets and objects outlive the store, data that is not the store's is refused,
 * and the S3 adapter built with a data directory keeps Tasks' writes across restarts while the
 * config's objects seed only buckets the store does not have yet.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createEngine } from "../../index.js";
import { StoreCorruptionError } from "../../runtime/ports/execution-store.js";
import type { ProjectConfig } from "../../runtime/config/project-config.js";
import type { Json, JsonObject } from "../../translators/json.js";
import { createS3Adapter } from "./index.js";
import { ADAPTER_STORE_FORMAT, checkFormat } from "../lmdb-adapter-store.js";
import { LmdbObjectStore } from "./lmdb-object-store.js";
import type { StoredObject } from "./object-store.js";

const dirs: string[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "aslan-s3-lmdb-"));
  dirs.push(dir);
  return dir;
}

const object = (key: string, body: string): StoredObject => ({ key, body, etag: `"${key}"`, lastModified: 1_000, contentType: "text/plain", metadata: { m: "1" }, headers: { CacheControl: "no-cache" } });

describe("LmdbObjectStore", () => {
  it("keeps buckets and objects after it is closed and opened again", async () => {
    const path = join(tempDir(), "s3");
    const first = LmdbObjectStore.open({ path });
    await first.createBucket({ name: "kept", creationDate: 2_000 });
    await first.createBucket({ name: "dropped", creationDate: 3_000 });
    await first.put("kept", object("a/1", "one"));
    await first.put("kept", object("a/2", "two"));
    await first.delete("kept", "a/2");
    expect(await first.deleteBucket("dropped")).toBe("deleted");
    await first.close();

    const again = LmdbObjectStore.open({ path });
    closers.push(() => again.close());
    expect(await again.buckets()).toEqual([{ name: "kept", creationDate: 2_000 }]);
    expect(await again.get("kept", "a/1")).toEqual(object("a/1", "one"));
    expect([...((await again.list("kept", { prefix: "a/" })) ?? [])].map((o) => o.key)).toEqual(["a/1"]);
  });

  it("refuses a data file that is not LMDB's (lmdb would crash the process on it), and leaves it as it was", async () => {
    const garbage = join(tempDir(), "s3");
    mkdirSync(garbage);
    const text = "not an LMDB file, and long enough to hold a meta page";
    writeFileSync(join(garbage, "data.mdb"), text);
    expect(() => LmdbObjectStore.open({ path: garbage })).toThrow(StoreCorruptionError);
    expect(() => LmdbObjectStore.open({ path: garbage })).toThrow(/not an LMDB data file/);
    expect(readFileSync(join(garbage, "data.mdb"), "utf8")).toBe(text);
  });

  it("the format record: a new store gets one; another version, or data without one, is refused", () => {
    expect(checkFormat("/d", undefined, false)).toBe("new");
    expect(checkFormat("/d", { formatVersion: ADAPTER_STORE_FORMAT }, true)).toBe("known");
    expect(() => checkFormat("/d", { formatVersion: 99 }, true)).toThrow(/unknown format version 99 \(this build reads 1\)/);
    expect(() => checkFormat("/d", undefined, true)).toThrow(/missing from a store that has data/);
  });
});

describe("the S3 adapter with a data directory", () => {
  let counter = 0;
  /** Runs one Task state with a fresh adapter (a restart) on `dataDir`, then closes it. */
  async function runOnce(dataDir: string, config: ProjectConfig, action: string, parameters: JsonObject): Promise<Json | undefined> {
    const adapter = createS3Adapter(config, { dataDir });
    if (!adapter) throw new Error("no adapter");
    const engine = createEngine({ adapters: [adapter], virtualTime: true });
    try {
      const definition = { StartAt: "S", States: { S: { Type: "Task", Resource: `arn:aws:states:::aws-sdk:s3:${action}`, Parameters: parameters, End: true } } };
      const result = await engine.result(engine.startExecution(engine.createStateMachine(`s3-durable-${++counter}`, definition), {}));
      if (result.status !== "SUCCEEDED") throw new Error(`${result.error ?? ""}: ${result.cause ?? ""}`);
      return result.output;
    } finally {
      engine.close();
      await adapter.close();
    }
  }

  it("keeps in <dataDir>/s3 what Tasks wrote; the config's objects seed a bucket only when the store has not got it", async () => {
    const dataDir = tempDir();
    const config: ProjectConfig = { buckets: { templates: { objects: { "t.json": "{\"v\":1}" } } } };
    await runOnce(dataDir, config, "putObject", { Bucket: "templates", Key: "t.json", Body: { v: 2 } });
    await runOnce(dataDir, config, "createBucket", { Bucket: "made-at-run-time" });
    await runOnce(dataDir, config, "putObject", { Bucket: "made-at-run-time", Key: "k", Body: "kept" });

    // Restarted with a config that also names a new bucket: that one is seeded, the others kept.
    const grown: ProjectConfig = { buckets: { ...config.buckets, added: { objects: { "seed.txt": "hello" } } } };
    expect(await runOnce(dataDir, grown, "getObject", { Bucket: "templates", Key: "t.json" })).toMatchObject({ Body: "{\"v\":2}" });
    expect(await runOnce(dataDir, grown, "getObject", { Bucket: "made-at-run-time", Key: "k" })).toMatchObject({ Body: "\"kept\"" });
    expect(await runOnce(dataDir, grown, "getObject", { Bucket: "added", Key: "seed.txt" })).toMatchObject({ Body: "hello" });
    const listed = (await runOnce(dataDir, grown, "listBuckets", {})) as { Buckets: { Name: string }[] };
    expect(listed.Buckets.map((b) => b.Name)).toEqual(["added", "made-at-run-time", "templates"]);
  });

  it("close() closes the store it opened: it refuses reads after, and the directory opens again at once", async () => {
    const dataDir = tempDir();
    const adapter = createS3Adapter({ buckets: { b1b: {} } }, { dataDir });
    await adapter?.close();
    await expect(adapter?.store.bucket("b1b")).rejects.toThrow();
    const reopened = LmdbObjectStore.open({ path: join(dataDir, "s3") });
    closers.push(() => reopened.close());
    expect(await reopened.bucket("b1b")).toMatchObject({ name: "b1b" });
  });
});
