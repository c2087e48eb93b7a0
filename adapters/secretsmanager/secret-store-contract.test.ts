/**
 * The SecretStore contract: every implementation (MemorySecretStore, LmdbSecretStore in a
 * temp directory, and JetStreamSecretStore against a real nats-server, a bucket per store)
 * must pass it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { natsForFile } from "../../test/support/nats-for-file.js";
import { JetStreamSecretStore } from "./jetstream-secret-store.js";
import { LmdbSecretStore } from "./lmdb-secret-store.js";
import { MemorySecretStore } from "./memory-secret-store.js";
import type { Secret, SecretStore } from "./secret-store.js";

const ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:";

const secretOf = (name: string, created: number, value = "v"): Secret => ({
  name, arn: `${ARN}${name}-AbCdEf`, created, description: "d", lastChanged: created, lastAccessed: undefined, deleted: undefined, deletionDate: undefined,
  tags: [{ Key: "team", Value: "ops" }], versions: [{ id: `v-${value}`, value: { SecretString: value }, created, stages: ["AWSCURRENT"] }],
});

const names = (secrets: readonly Secret[]): string[] => secrets.map((s) => s.name);

/** Runs the contract against stores made by `make` (each test gets a fresh, empty one). */
export function secretStoreContract(name: string, make: () => SecretStore): void {
  describe(`SecretStore contract: ${name}`, () => {
    it("finds a secret by name, by ARN and by ARN without its suffix; nothing else", async () => {
      const store = make();
      await store.put(secretOf("db/password", 1_000));
      for (const id of ["db/password", `${ARN}db/password-AbCdEf`, `${ARN}db/password`]) expect((await store.find(id))?.name).toBe("db/password");
      for (const id of ["db", "db/password-AbCdEf", `${ARN}db/password-XXXXXX`, `${ARN}db`]) expect(await store.find(id)).toBeUndefined();
      expect(await store.find("db/password")).toEqual(secretOf("db/password", 1_000));
    });

    it("hands out copies: a change counts once it is put", async () => {
      const store = make();
      await store.put(secretOf("s", 1_000));
      const found = (await store.find("s")) as Secret;
      found.description = "changed";
      found.versions[0]?.stages.push("AWSPENDING");
      expect(await store.find("s")).toEqual(secretOf("s", 1_000));
      const [listed] = await store.all();
      if (listed) listed.lastChanged = 9;
      expect((await store.find("s"))?.lastChanged).toBe(1_000);
      await store.put(found);
      expect(await store.find("s")).toMatchObject({ description: "changed", versions: [{ stages: ["AWSCURRENT", "AWSPENDING"] }] });
    });

    it("lists every secret oldest first; a put replaces the secret of its name in its place; remove removes", async () => {
      const store = make();
      for (const [n, at] of [["b", 1], ["a", 2], ["c", 3]] as const) await store.put(secretOf(n, at));
      expect(names(await store.all())).toEqual(["b", "a", "c"]);
      await store.put(secretOf("b", 1, "second"));
      expect((await store.all()).map((s) => [s.name, s.versions[0]?.value])).toEqual([["b", { SecretString: "second" }], ["a", { SecretString: "v" }], ["c", { SecretString: "v" }]]);
      await store.remove("a");
      await store.remove("never-there");
      expect(names(await store.all())).toEqual(["b", "c"]);
      expect(await store.find("a")).toBeUndefined();
    });

    it("creates a secret only where none of its name is", async () => {
      const store = make();
      expect(await store.create(secretOf("s", 1_000, "first"))).toBe(true);
      expect(await store.create(secretOf("s", 2_000, "second"))).toBe(false);
      expect((await store.find("s"))?.versions[0]?.value).toEqual({ SecretString: "first" });
      await store.remove("s");
      expect(await store.create(secretOf("s", 3_000, "third"))).toBe(true);
      expect((await store.find("s"))?.created).toBe(3_000);
    });
  });
}

secretStoreContract("MemorySecretStore", () => new MemorySecretStore());

const dirs: string[] = [];
const opened: SecretStore[] = [];
afterAll(async () => {
  for (const store of opened.splice(0)) await store.close?.();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

secretStoreContract("LmdbSecretStore", () => {
  const dir = mkdtempSync(join(tmpdir(), "aslan-secrets-contract-"));
  dirs.push(dir);
  const store = LmdbSecretStore.open({ path: join(dir, "secretsmanager"), durability: "committed" });
  opened.push(store);
  return store;
});

// One nats-server for the file; every store gets a bucket of its own.
const nats = natsForFile();
secretStoreContract("JetStreamSecretStore", () => {
  const store = new JetStreamSecretStore({ servers: nats.url, bucket: nats.freshBucket() });
  nats.atEnd(() => store.close());
  return store;
});
