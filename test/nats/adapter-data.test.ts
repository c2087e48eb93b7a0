/**
 * Adapter data in distributed mode, with real processes as a user runs them: a nats-server,
 * one `aslan serve --nats` node and `aslan worker --nats --adapters dynamodb,s3,secretsmanager`
 * processes, all stopped by pid. The DynamoDB-like tables, S3-like buckets and Secrets
 * Manager-like secrets live in JetStream KV, so what executions write through one worker,
 * executions read through another; and conditional writes from two workers at once serialize.
 */
import type { ChildProcess } from "node:child_process";
import { describe, expect, it } from "vitest";
import { CreateStateMachineCommand, DescribeExecutionCommand, type SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { clustersPerTest, ROLE, type Cluster } from "./cluster-processes.js";

const ADAPTERS = "dynamodb,s3,secretsmanager";
/** Tasks a worker runs at once: few, so that two workers share the load. */
const CONCURRENCY = 3;

const CONFIG = {
  tables: { Orders: { partitionKey: { name: "id", type: "S" }, globalSecondaryIndexes: [{ name: "byStatus", partitionKey: { name: "status", type: "S" } }] } },
  buckets: { docs: { objects: { "seed.txt": "from the config" } } },
  secrets: { "api/key": "s3cr3t" },
};

/** Writes an order through each adapter: an item, an object, a secret. */
const WRITER = {
  StartAt: "PutItem",
  States: {
    PutItem: {
      Type: "Task", Resource: "arn:aws:states:::dynamodb:putItem", ResultPath: null, Next: "PutObject",
      Parameters: { TableName: "Orders", Item: { id: { "S.$": "$.id" }, status: { S: "open" } }, ConditionExpression: "attribute_not_exists(id)" },
    },
    PutObject: {
      Type: "Task", Resource: "arn:aws:states:::aws-sdk:s3:putObject", ResultPath: null, Next: "CreateSecret",
      Parameters: { Bucket: "docs", "Key.$": "States.Format('{}.txt', $.id)", "Body.$": "$.note" },
    },
    CreateSecret: {
      Type: "Task", Resource: "arn:aws:states:::aws-sdk:secretsmanager:createSecret", ResultPath: null, End: true,
      Parameters: { "Name.$": "States.Format('orders/{}', $.id)", "SecretString.$": "$.note" },
    },
  },
};

/** Reads an order back through each adapter, and the config's seeded data. */
const READER = {
  StartAt: "GetItem",
  States: {
    GetItem: {
      Type: "Task", Resource: "arn:aws:states:::dynamodb:getItem", Next: "QueryOpen",
      Parameters: { TableName: "Orders", Key: { id: { "S.$": "$.id" } } }, ResultSelector: { "status.$": "$.Item.status.S" }, ResultPath: "$.item",
    },
    QueryOpen: {
      Type: "Task", Resource: "arn:aws:states:::aws-sdk:dynamodb:query", Next: "GetObject", ResultSelector: { "count.$": "$.Count" }, ResultPath: "$.open",
      Parameters: { TableName: "Orders", IndexName: "byStatus", KeyConditionExpression: "#s = :open", ExpressionAttributeNames: { "#s": "status" }, ExpressionAttributeValues: { ":open": { S: "open" } } },
    },
    GetObject: {
      Type: "Task", Resource: "arn:aws:states:::aws-sdk:s3:getObject", Next: "GetSeed", ResultSelector: { "body.$": "$.Body" }, ResultPath: "$.object",
      Parameters: { Bucket: "docs", "Key.$": "States.Format('{}.txt', $.id)" },
    },
    GetSeed: {
      Type: "Task", Resource: "arn:aws:states:::aws-sdk:s3:getObject", Next: "GetSecret", ResultSelector: { "body.$": "$.Body" }, ResultPath: "$.seed",
      Parameters: { Bucket: "docs", Key: "seed.txt" },
    },
    GetSecret: {
      Type: "Task", Resource: "arn:aws:states:::aws-sdk:secretsmanager:getSecretValue", Next: "GetConfigSecret", ResultSelector: { "value.$": "$.SecretString" }, ResultPath: "$.secret",
      Parameters: { "SecretId.$": "States.Format('orders/{}', $.id)" },
    },
    GetConfigSecret: {
      Type: "Task", Resource: "arn:aws:states:::aws-sdk:secretsmanager:getSecretValue", End: true, ResultSelector: { "value.$": "$.SecretString" }, ResultPath: "$.configSecret",
      Parameters: { SecretId: "api/key" },
    },
  },
};

/** One read-modify-write of a shared counter item. */
const COUNTER = {
  StartAt: "Add",
  States: {
    Add: {
      Type: "Task", Resource: "arn:aws:states:::dynamodb:updateItem", End: true,
      Parameters: { TableName: "Orders", Key: { id: { S: "counter" } }, UpdateExpression: "ADD n :one", ExpressionAttributeValues: { ":one": { N: "1" } } },
    },
  },
};

interface Worker {
  readonly child: ChildProcess;
  /** How many tasks it has run to an answer so far. */
  readonly tasks: () => number;
}

const clusters = clustersPerTest();

async function cluster(): Promise<{ c: Cluster; sfn: SFNClient }> {
  const c = await clusters.start(`export default ${JSON.stringify(CONFIG)};\n`);
  return { c, sfn: (await c.node()).sfn };
}

/** An `aslan worker` process for the three adapters (its log at debug: a line per task). */
async function worker(c: Cluster): Promise<Worker> {
  const w = await c.worker("--adapters", ADAPTERS, "--concurrency", String(CONCURRENCY), "--log-level", "debug");
  return { child: w.child, tasks: () => w.output().split("\n").filter((l) => /"msg":"task (succeeded|failed)"/.test(l)).length };
}

/** SIGTERM by pid: the worker drains and exits 0. */
async function stopWorker(w: Worker): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => w.child.once("exit", (code) => resolve(code)));
  process.kill(w.child.pid ?? 0, "SIGTERM");
  return exited;
}

async function createMachine(sfn: SFNClient, name: string, definition: object): Promise<string> {
  return (await sfn.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: ROLE }))).stateMachineArn as string;
}

/** Runs executions of a machine to their end; resolves with each one's status and output. */
async function runAll(sfn: SFNClient, stateMachineArn: string, inputs: readonly object[]): Promise<{ status: string; output: unknown; error?: string; cause?: string }[]> {
  const arns = await Promise.all(inputs.map(async (input) => (await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }))).executionArn as string));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const described = await Promise.all(arns.map((executionArn) => sfn.send(new DescribeExecutionCommand({ executionArn }))));
    if (described.every((d) => d.status !== "RUNNING")) {
      return described.map((d) => ({ status: d.status as string, output: JSON.parse(d.output ?? "null"), ...(d.error ? { error: d.error } : {}), ...(d.cause ? { cause: d.cause } : {}) }));
    }
    if (Date.now() > deadline) throw new Error(`executions still running: ${described.filter((d) => d.status === "RUNNING").length}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("adapter data shared through JetStream KV", () => {
  it("reads through a second worker what executions wrote through a first one that has stopped", async () => {
    const { c, sfn } = await cluster();
    const [writer, reader] = [await createMachine(sfn, "Writer", WRITER), await createMachine(sfn, "Reader", READER)];
    const ids = ["o1", "o2", "o3"];
    const first = await worker(c);
    const written = await runAll(sfn, writer, ids.map((id) => ({ id, note: `note of ${id}` })));
    expect(written.map((w) => w.status)).toEqual(ids.map(() => "SUCCEEDED"));
    expect(first.tasks()).toBe(ids.length * 3);
    expect(await stopWorker(first)).toBe(0);

    const second = await worker(c);
    const read = await runAll(sfn, reader, ids.map((id) => ({ id })));
    expect(read).toEqual(ids.map((id) => ({
      status: "SUCCEEDED",
      output: {
        id, item: { status: "open" }, open: { count: ids.length },
        // Step Functions sends a string Body as JSON text.
        object: { body: JSON.stringify(`note of ${id}`) }, seed: { body: "from the config" },
        secret: { value: `note of ${id}` }, configSecret: { value: "s3cr3t" },
      },
    })));
    expect(second.tasks()).toBe(ids.length * 6);
    // The item exists for every worker: writing it again fails its condition, through the second worker too.
    const again = await runAll(sfn, writer, [{ id: "o1", note: "again" }]);
    expect(again[0]).toMatchObject({ status: "FAILED", error: "DynamoDB.ConditionalCheckFailedException" });
  }, 120_000);

  it("serializes read-modify-writes of one item that two workers run at once", async () => {
    const { c, sfn } = await cluster();
    const counter = await createMachine(sfn, "Counter", COUNTER);
    const workers = [await worker(c), await worker(c)];
    const runs = 40;
    const results = await runAll(sfn, counter, Array.from({ length: runs }, () => ({})));
    expect(results.filter((r) => r.status !== "SUCCEEDED")).toEqual([]);
    const [a, b] = workers.map((w) => w.tasks());
    // Each worker takes one DynamoDB task at a time (a slot per adapter), so both took some.
    expect([a, b].every((n) => (n ?? 0) > 0)).toBe(true);
    expect((a ?? 0) + (b ?? 0)).toBe(runs);
    const reader = await createMachine(sfn, "ReadCounter", {
      StartAt: "Get",
      States: { Get: { Type: "Task", Resource: "arn:aws:states:::dynamodb:getItem", End: true, Parameters: { TableName: "Orders", Key: { id: { S: "counter" } } }, ResultSelector: { "n.$": "$.Item.n.N" } } },
    });
    expect((await runAll(sfn, reader, [{}]))[0]).toEqual({ status: "SUCCEEDED", output: { n: String(runs) } });
    for (const w of workers) expect(await stopWorker(w)).toBe(0);
  }, 120_000);
});
