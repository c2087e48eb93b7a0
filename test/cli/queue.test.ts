/**
 * Queues outside the server's process: `aslan serve --config` serves the SQS API on its
 * port, and `aslan queue` (another process) reads what a workflow sent, with SigV4 on.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { ensureBuilt, runCli, type CliOutcome } from "./built-cli.js";
import { serve, stop, type Served } from "./serve-process.js";

const KEY = { accessKeyId: "AKIDQUEUETEST", secretAccessKey: "queue-test-secret" };
const ROLE_ARN = "arn:aws:iam::123456789012:role/DummyRole";

const aslanQueue = (args: string[], env: Record<string, string>): Promise<CliOutcome> => runCli(["queue", ...args], { env: { ...process.env, ...env } });

let dir: string;
let served: Served;
let url: string;

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), "aslan-queue-cli-"));
  writeFileSync(join(dir, "aslan.config.json"), JSON.stringify({ queues: { approvals: {} } }));
  served = serve(["--port", "0", "--config", join(dir, "aslan.config.json"), "--log-level", "info"], { ASLAN_ACCESS_KEY_ID: KEY.accessKeyId, ASLAN_SECRET_ACCESS_KEY: KEY.secretAccessKey });
  url = await served.url;
}, 180_000);

afterAll(async () => {
  if (served && served.child.exitCode === null) await stop(served, "SIGTERM");
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("aslan queue against aslan serve", () => {
  it("reads the message a workflow sent, deletes it, and a second receive finds nothing", async () => {
    const sfn = new SFNClient({ endpoint: url, region: "us-east-1", credentials: KEY, maxAttempts: 1 });
    const definition = JSON.stringify({
      StartAt: "Ask",
      States: { Ask: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage", Parameters: { QueueUrl: "approvals", "MessageBody.$": "$" }, End: true } },
    });
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: "ask", definition, roleArn: ROLE_ARN }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ order: 7 }) }));
    for (let i = 0; i < 200; i++) {
      if ((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status !== "RUNNING") break;
      await new Promise((r) => setTimeout(r, 20));
    }
    sfn.destroy();
    const env = { AWS_ACCESS_KEY_ID: KEY.accessKeyId, AWS_SECRET_ACCESS_KEY: KEY.secretAccessKey };
    const received = await aslanQueue(["receive", "approvals", "--endpoint", url, "--delete"], env);
    expect(received.stderr).not.toMatch(/aslan queue:/);
    expect(received.code).toBe(0);
    const messages = (JSON.parse(received.stdout) as { Messages: { Body: string }[] }).Messages;
    expect(messages.map((m) => JSON.parse(m.Body))).toEqual([{ order: 7 }]);
    const again = await aslanQueue(["receive", "approvals", "--endpoint", url], env);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).Messages ?? []).toEqual([]);
  });

  it("a wrong secret is refused with AWS's signature error, exit 1", async () => {
    const r = await aslanQueue(["list", "--endpoint", url], { AWS_ACCESS_KEY_ID: KEY.accessKeyId, AWS_SECRET_ACCESS_KEY: "wrong" });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/InvalidSignatureException|signature/i);
  });
});
