/**
 * What only the JetStream SecretStore has (secret-store-contract.test.ts runs the contract on
 * it): stores on separate connections, as separate processes have, share the secrets; a copy
 * put back after another process changed its secret is refused, and the adapter then runs
 * the operation again; the config's secrets are created once however many processes start.
 */
import { describe, expect, it } from "vitest";
import type { AdapterTask } from "../../runtime/ports/adapter.js";
import { parseResource } from "../../translators/dataflow/resource.js";
import type { JsonObject } from "../../translators/json.js";
import { natsForFile } from "../../test/support/nats-for-file.js";
import { createSecretsManagerAdapter } from "./index.js";
import { JetStreamSecretStore } from "./jetstream-secret-store.js";
import { MemorySecretStore } from "./memory-secret-store.js";
import { SecretChangedError, type Secret } from "./secret-store.js";
import { SecretsManagerAdapter } from "./secrets-manager-adapter.js";

const nats = natsForFile();

const ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:";
const secretOf = (name: string, value = "v"): Secret => ({
  name, arn: `${ARN}${name}-AbCdEf`, created: 1_000, description: undefined, lastChanged: 1_000, lastAccessed: undefined, deleted: undefined, deletionDate: undefined,
  tags: [], versions: [{ id: `v-${value}`, value: { SecretString: value }, created: 1_000, stages: ["AWSCURRENT"] }],
});

function storeOn(bucket: string): JetStreamSecretStore {
  const store = new JetStreamSecretStore({ servers: nats.url, bucket });
  nats.atEnd(() => store.close());
  return store;
}

const task = (action: string, payload: JsonObject): AdapterTask => ({
  taskId: "t", resource: parseResource(`arn:aws:states:::aws-sdk:secretsmanager:${action}`), payload, stateName: "S", executionArn: "arn", signal: new AbortController().signal, heartbeat: () => undefined,
});

describe("JetStreamSecretStore shared by processes", () => {
  it("refuses a copy put back after another connection changed its secret; a fresh read can be put", async () => {
    const bucket = nats.freshBucket();
    const [a, b] = [storeOn(bucket), storeOn(bucket)];
    await a.put(secretOf("s"));
    const [fromA, fromB] = [(await a.find("s")) as Secret, (await b.find(`${ARN}s`)) as Secret];
    fromB.description = "b was here";
    await b.put(fromB);
    fromA.description = "a was here";
    await expect(a.put(fromA)).rejects.toThrow(SecretChangedError);
    expect((await a.find("s"))?.description).toBe("b was here");
    const again = (await a.find("s")) as Secret;
    again.description = "a, after reading again";
    await a.put(again);
    expect((await b.find("s"))?.description).toBe("a, after reading again");
  });
});

describe("SecretsManagerAdapter on a shared store", () => {
  it("runs an operation again from a fresh read when the store refuses its copy", async () => {
    const store = new MemorySecretStore();
    let refuse = 0;
    let refused = 0;
    const put = store.put.bind(store);
    store.put = async (secret) => {
      if (refuse > 0) {
        refuse--;
        refused++;
        throw new SecretChangedError(secret.name);
      }
      return put(secret);
    };
    const adapter = new SecretsManagerAdapter({ store, secrets: { s: "first" } });
    await adapter.run(task("describeSecret", { SecretId: "s" }));
    refuse = 2;
    const answer = await adapter.run(task("putSecretValue", { SecretId: "s", SecretString: "second", ClientRequestToken: "token-of-second-0000000000000000" }));
    expect([refused, answer]).toMatchObject([2, { VersionId: "token-of-second-0000000000000000" }]);
    expect(await adapter.run(task("getSecretValue", { SecretId: "s" }))).toMatchObject({ SecretString: "second", VersionId: "token-of-second-0000000000000000" });
  });

  it("in distributed mode creates the config's secrets once for processes starting at once; CreateSecret races have one winner", async () => {
    const config = { secrets: { "db/password": "hunter2" } };
    const adapters = Array.from({ length: 3 }, () => {
      const adapter = createSecretsManagerAdapter(config, { natsServers: nats.url }) as SecretsManagerAdapter;
      nats.atEnd(() => adapter.close());
      return adapter;
    });
    const described = await Promise.all(adapters.map((a) => a.run(task("describeSecret", { SecretId: "db/password" })) as Promise<JsonObject>));
    expect(new Set(described.map((d) => d["ARN"])).size).toBe(1);
    const created = await Promise.allSettled(adapters.map((a, i) => a.run(task("createSecret", { Name: "once", SecretString: `by ${i}` }))));
    expect(created.filter((c) => c.status === "fulfilled")).toHaveLength(1);
    for (const c of created) if (c.status === "rejected") expect(c.reason).toMatchObject({ error: "SecretsManager.ResourceExistsException" });
    const winner = created.findIndex((c) => c.status === "fulfilled");
    expect(await adapters[(winner + 1) % 3]?.run(task("getSecretValue", { SecretId: "once" }))).toMatchObject({ SecretString: `by ${winner}` });
  });
});
