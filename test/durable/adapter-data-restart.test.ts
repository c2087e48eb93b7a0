/**
 * Queues, buckets and secrets under `aslan serve --data-dir` (the built CLI as a process), as a
 * user meets them: a state machine execution sends a message, writes objects (one over a config
 * seed) and rotates a secret; the moment it has succeeded the server is killed with SIGKILL;
 * started again on the same data directory it still has all of it (each write was committed
 * before its Task answered), and the config's seed does not overwrite the object Tasks wrote.
 */
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "../cli/built-cli.js";
import { serve, stop, type Served } from "../cli/serve-process.js";
import { SdkQueueStore } from "../../adapters/sqs/sdk-queue-store.js";

const ROLE_ARN = "arn:aws:iam::123456789012:role/aslan";
const CREDENTIALS = { accessKeyId: "AKID", secretAccessKey: "s" };
const dir = mkdtempSync(join(tmpdir(), "aslan-serve-data-"));
const dataDir = join(dir, "data");
const configPath = join(dir, "aslan.config.mjs");
const running: Served[] = [];
const closers: (() => unknown)[] = [];

const CONFIG = `export default {
  queues: { jobs: {} },
  buckets: { reports: { objects: { "template.txt": "from the config" } } },
  secrets: { "api/token": "t0" },
};
`;

const task = (resource: string, parameters: object, next?: string): object => ({ Type: "Task", Resource: resource, Parameters: parameters, ResultPath: null, ...(next ? { Next: next } : { End: true }) });
const SDK = "arn:aws:states:::aws-sdk:";

const WRITE = {
  StartAt: "Send",
  States: {
    Send: task("arn:aws:states:::sqs:sendMessage", { QueueUrl: "jobs", "MessageBody.$": "$" }, "Put"),
    Put: task(`${SDK}s3:putObject`, { Bucket: "reports", Key: "daily/1.json", "Body.$": "$" }, "Overwrite"),
    Overwrite: task(`${SDK}s3:putObject`, { Bucket: "reports", Key: "template.txt", Body: "from a Task" }, "Rotate"),
    Rotate: task(`${SDK}secretsmanager:putSecretValue`, { SecretId: "api/token", SecretString: "t1" }),
  },
};

const READ = {
  StartAt: "Report",
  States: {
    Report: { Type: "Task", Resource: `${SDK}s3:getObject`, Parameters: { Bucket: "reports", Key: "daily/1.json" }, ResultSelector: { "Body.$": "$.Body" }, ResultPath: "$.report", Next: "Template" },
    Template: { Type: "Task", Resource: `${SDK}s3:getObject`, Parameters: { Bucket: "reports", Key: "template.txt" }, ResultSelector: { "Body.$": "$.Body" }, ResultPath: "$.template", Next: "Token" },
    Token: { Type: "Task", Resource: `${SDK}secretsmanager:getSecretValue`, Parameters: { SecretId: "api/token" }, ResultSelector: { "SecretString.$": "$.SecretString" }, ResultPath: "$.token", End: true },
  },
};

function server(): Served {
  const served = serve(["--port", "0", "--log-level", "warn", "--data-dir", dataDir, "--config", configPath]);
  running.push(served);
  return served;
}

function sfnAt(url: string): SFNClient {
  const client = new SFNClient({ endpoint: url, region: "us-east-1", maxAttempts: 1, credentials: CREDENTIALS });
  closers.push(() => client.destroy());
  return client;
}

/** Runs a Standard execution to its end; its output. */
async function execute(sfn: SFNClient, name: string, definition: object, input: object): Promise<unknown> {
  const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: ROLE_ARN }));
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }));
  const deadline = Date.now() + 15_000;
  for (;;) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== "RUNNING") {
      if (d.status !== "SUCCEEDED") throw new Error(`${name}: ${d.status ?? ""} ${d.error ?? ""} ${d.cause ?? ""}`);
      return JSON.parse(d.output ?? "null") as unknown;
    }
    if (Date.now() > deadline) throw new Error(`${name} did not finish`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeAll(async () => {
  await ensureBuilt();
  writeFileSync(configPath, CONFIG);
}, 180_000);

afterAll(async () => {
  for (const close of closers.splice(0)) await close();
  for (const s of running) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

describe("aslan serve --data-dir: queues, buckets and secrets survive a SIGKILL", () => {
  it("a message, objects and a secret written by an execution are there after the restart", async () => {
    const first = server();
    await execute(sfnAt(await first.url), "Write", WRITE, { order: 42 });
    // No grace period: what the Tasks answered for is on disk already.
    await stop(first, "SIGKILL");
    for (const name of ["s3", "sqs", "secretsmanager"]) expect(existsSync(join(dataDir, "adapters", name, "data.mdb"))).toBe(true);

    const second = server();
    const url = await second.url;
    const queues = new SdkQueueStore({ endpoint: url, region: "us-east-1", credentials: CREDENTIALS });
    closers.push(() => queues.close());
    const [message] = await queues.receiveMessages(`${url}/123456789012/jobs`, { maxMessages: 10 });
    expect(message?.Body).toBe('{"order":42}');
    expect(await execute(sfnAt(url), "Read", READ, {})).toEqual({
      report: { Body: '{"order":42}' },
      template: { Body: '"from a Task"' },
      token: { SecretString: "t1" },
    });
    expect(await stop(second, "SIGTERM")).toBe(0);
  }, 60_000);
});
