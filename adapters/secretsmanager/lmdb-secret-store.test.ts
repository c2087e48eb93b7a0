/**
 * What LmdbSecretStore adds to the SecretStore contract (secret-store-contract.test.ts runs
 * that on it): secrets outlive the store, and the Secrets Manager adapter built with a data
 * directory keeps what Tasks did (new secrets, versions, scheduled deletions) across restarts,
 * while the config's secrets are created only when the store has none of that name.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createEngine } from "../../index.js";
import type { ProjectConfig } from "../../runtime/config/project-config.js";
import { StoreCorruptionError } from "../../runtime/ports/execution-store.js";
import type { Json, JsonObject } from "../../translators/json.js";
import { createSecretsManagerAdapter } from "./index.js";
import { LmdbSecretStore } from "./lmdb-secret-store.js";
import type { Secret } from "./secret-store.js";

const dirs: string[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "aslan-secrets-lmdb-"));
  dirs.push(dir);
  return dir;
}

const secretOf = (name: string, created: number): Secret => ({
  name, arn: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}-AbCdEf`, created, description: undefined, lastChanged: created,
  lastAccessed: undefined, deleted: undefined, deletionDate: undefined, tags: [], versions: [{ id: "v1", value: { SecretBinary: "AAE=" }, created, stages: ["AWSCURRENT"] }],
});

describe("LmdbSecretStore", () => {
  it("keeps secrets, oldest first, after it is closed and opened again", async () => {
    const path = join(tempDir(), "secretsmanager");
    const first = LmdbSecretStore.open({ path });
    for (const [name, at] of [["z", 1], ["a", 2], ["gone", 3]] as const) await first.put(secretOf(name, at));
    await first.remove("gone");
    await first.close();
    const again = LmdbSecretStore.open({ path });
    closers.push(() => again.close());
    expect((await again.all()).map((s) => s.name)).toEqual(["z", "a"]);
    expect(await again.find("arn:aws:secretsmanager:us-east-1:123456789012:secret:a")).toEqual(secretOf("a", 2));
  });

  it("refuses a data file that is not LMDB's", () => {
    const path = join(tempDir(), "secretsmanager");
    mkdirSync(path);
    writeFileSync(join(path, "data.mdb"), "x".repeat(64));
    expect(() => LmdbSecretStore.open({ path })).toThrow(StoreCorruptionError);
  });
});

describe("the Secrets Manager adapter with a data directory", () => {
  const DAY = 86_400_000;
  let now = Date.UTC(2024, 0, 15);
  let counter = 0;

  /** Runs steps with a fresh adapter (a restart) on `dataDir`, then closes it; each result at `$.<name>`. */
  async function runOnce(dataDir: string, config: ProjectConfig, ...states: [string, string, JsonObject][]): Promise<Record<string, Json>> {
    const adapter = createSecretsManagerAdapter(config, { dataDir, engine: { clock: { now: () => now }, account: { partition: "aws", region: "us-east-1", accountId: "123456789012" } } });
    if (!adapter) throw new Error("no adapter");
    const engine = createEngine({ adapters: [adapter], virtualTime: true });
    try {
      const definition = {
        StartAt: (states[0] as [string, string, JsonObject])[0],
        States: Object.fromEntries(states.map(([name, action, parameters], i) => [name, {
          Type: "Task", Resource: `arn:aws:states:::aws-sdk:secretsmanager:${action}`, Parameters: parameters, ResultPath: `$.${name}`,
          ...(i + 1 < states.length ? { Next: (states[i + 1] as [string, string, JsonObject])[0] } : { End: true }),
        }])),
      };
      const result = await engine.result(engine.startExecution(engine.createStateMachine(`secrets-durable-${++counter}`, definition), {}));
      if (result.status !== "SUCCEEDED") throw new Error(`${result.error ?? ""}: ${result.cause ?? ""}`);
      return result.output as Record<string, Json>;
    } finally {
      engine.close();
      await adapter.close();
    }
  }

  it("keeps secrets, their versions and scheduled deletions across restarts; the config seeds only names the store has not got", async () => {
    const dataDir = tempDir();
    const config: ProjectConfig = { secrets: { "db/password": "from-config", doomed: "x" } };
    const first = await runOnce(dataDir, config,
      ["put", "putSecretValue", { SecretId: "db/password", SecretString: "rotated" }],
      ["create", "createSecret", { Name: "api/key", SecretString: "k1", Tags: [{ Key: "team", Value: "ops" }] }],
      ["drop", "deleteSecret", { SecretId: "doomed", RecoveryWindowInDays: 7 }],
    );

    now += DAY;
    const after = await runOnce(dataDir, { secrets: { ...config.secrets, added: "new" } },
      ["current", "getSecretValue", { SecretId: "db/password" }],
      ["previous", "getSecretValue", { SecretId: "db/password", VersionStage: "AWSPREVIOUS" }],
      ["byArn", "getSecretValue", { SecretId: (first["create"] as JsonObject)["ARN"] as string }],
      ["added", "getSecretValue", { SecretId: "added" }],
      ["doomed", "describeSecret", { SecretId: "doomed" }],
    );
    expect(after["current"]).toMatchObject({ SecretString: "rotated", VersionId: (first["put"] as JsonObject)["VersionId"] as string });
    expect(after["previous"]).toMatchObject({ SecretString: "from-config" });
    expect(after["byArn"]).toMatchObject({ Name: "api/key", SecretString: "k1" });
    expect(after["added"]).toMatchObject({ SecretString: "new" });
    expect(after["doomed"]).toMatchObject({ Name: "doomed", DeletedDate: "2024-01-15T00:00:00Z" });

    // A week after the deletion was scheduled it has taken effect, and the config's secret of that name is created anew.
    now += 7 * DAY;
    const later = await runOnce(dataDir, config, ["doomed", "getSecretValue", { SecretId: "doomed" }], ["list", "listSecrets", {}]);
    expect(later["doomed"]).toMatchObject({ SecretString: "x" });
    expect(((later["list"] as JsonObject)["SecretList"] as JsonObject[]).map((s) => s["Name"])).toEqual(["doomed", "added", "api/key", "db/password"]);
  });
});
