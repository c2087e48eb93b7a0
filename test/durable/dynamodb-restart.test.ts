/**
 * Tables kept durably, as a user runs them: `aslan serve --data-dir D --config C` (the built
 * CLI as a process) puts an item from a state machine, is killed with SIGKILL right after
 * the execution succeeded, and started again on the same directory: a getItem and a Query
 * of a secondary index find the item.
 */
import { CreateStateMachineCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROLE_ARN, settled } from "../api/helpers.js";
import { ensureBuilt } from "../cli/built-cli.js";
import { serve, stop, type Served } from "../cli/serve-process.js";

const dir = mkdtempSync(join(tmpdir(), "aslan-durable-tables-"));
const running: Served[] = [];
const clients: SFNClient[] = [];

const CONFIG = `export default {
  tables: {
    Orders: {
      partitionKey: { name: "id", type: "S" },
      globalSecondaryIndexes: [{ name: "byStatus", partitionKey: { name: "status", type: "S" }, projection: "KEYS_ONLY" }],
    },
  },
};
`;

const task = (name: string, resource: string, parameters: object): object => ({
  StartAt: name,
  States: { [name]: { Type: "Task", Resource: resource, Parameters: parameters, End: true } },
});

const PUT = task("Put", "arn:aws:states:::dynamodb:putItem", { TableName: "Orders", Item: { id: { "S.$": "$.id" }, status: { S: "OPEN" }, total: { N: "42" } } });
const GET = task("Get", "arn:aws:states:::aws-sdk:dynamodb:getItem", { TableName: "Orders", Key: { id: { "S.$": "$.id" } } });
const QUERY = task("Query", "arn:aws:states:::aws-sdk:dynamodb:query", {
  TableName: "Orders", IndexName: "byStatus", KeyConditionExpression: "#s = :s", ExpressionAttributeNames: { "#s": "status" }, ExpressionAttributeValues: { ":s": { S: "OPEN" } },
});

function server(): Served {
  const served = serve(["--port", "0", "--log-level", "warn", "--data-dir", join(dir, "data"), "--config", join(dir, "aslan.config.mjs")]);
  running.push(served);
  return served;
}

async function sfnOf(served: Served): Promise<SFNClient> {
  const sfn = new SFNClient({ endpoint: await served.url, region: "us-east-1", maxAttempts: 1, credentials: { accessKeyId: "AKID", secretAccessKey: "s" } });
  clients.push(sfn);
  return sfn;
}

async function run(sfn: SFNClient, name: string, definition: object, input: object): Promise<unknown> {
  const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: ROLE_ARN }));
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }));
  const done = await settled(sfn, executionArn as string);
  expect(done.status).toBe("SUCCEEDED");
  return JSON.parse(done.output ?? "null");
}

beforeAll(async () => {
  await ensureBuilt();
  writeFileSync(join(dir, "aslan.config.mjs"), CONFIG);
}, 180_000);

afterAll(() => {
  for (const c of clients) c.destroy();
  for (const s of running) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

describe("aslan serve --data-dir with DynamoDB-like tables", () => {
  it("keeps an item a state machine put through a kill -9 of the server", async () => {
    const first = server();
    await run(await sfnOf(first), "put", PUT, { id: "o-1" });
    await stop(first, "SIGKILL");

    const second = server();
    const sfn = await sfnOf(second);
    const item = { id: { S: "o-1" }, status: { S: "OPEN" }, total: { N: "42" } };
    expect(await run(sfn, "get", GET, { id: "o-1" })).toEqual({ Item: item });
    expect(await run(sfn, "query", QUERY, {})).toMatchObject({ Count: 1, Items: [{ id: { S: "o-1" }, status: { S: "OPEN" } }] });
    expect(await stop(second, "SIGTERM")).toBe(0);
  }, 30_000);
});
