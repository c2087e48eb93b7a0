/**
 * The examples' commands as a user types them: the built `aslan` (dist/cli.js) as a child
 * process, `aslan run … --json` for its result and `aslan serve` with SDK clients pointed at it.
 */
import { spawn } from "node:child_process";
import { SFNClient, DescribeExecutionCommand, GetExecutionHistoryCommand, type DescribeExecutionCommandOutput, type HistoryEvent } from "@aws-sdk/client-sfn";
import { SQSClient, ReceiveMessageCommand, DeleteMessageCommand, GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import { CLI, ROOT, ensureBuilt } from "../../test/cli/built-cli.js";
import { serve, stop, type Served } from "../../test/cli/serve-process.js";
import type { Json } from "../../index.js";

export { ensureBuilt, ROOT };

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `aslan <args…>` in `cwd` (the repository root unless given). */
export function aslan(args: readonly string[], cwd = ROOT): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/** What `aslan run --json` prints. */
export interface RunJson {
  readonly status: string;
  readonly output?: Json;
  readonly error?: string;
  readonly cause?: string;
  readonly history: readonly { readonly type: string; readonly [k: string]: unknown }[];
}

export async function aslanRunJson(args: readonly string[]): Promise<RunJson & { readonly stderr: string; readonly code: number | null }> {
  const r = await aslan(["run", ...args, "--json"]);
  try {
    return { ...(JSON.parse(r.stdout) as RunJson), stderr: r.stderr, code: r.code };
  } catch {
    throw new Error(`aslan run printed no JSON (exit ${String(r.code)}): ${r.stdout}\n${r.stderr}`);
  }
}

/** `aslan serve --port 0 <args…>` and SDK clients for its Step Functions and SQS APIs. */
export interface Server {
  readonly served: Served;
  readonly url: string;
  readonly sfn: SFNClient;
  readonly sqs: SQSClient;
  close(): Promise<void>;
}

const credentials = { accessKeyId: "local", secretAccessKey: "local" };

export async function aslanServe(args: readonly string[]): Promise<Server> {
  const served = serve(["--port", "0", ...args]);
  const url = await served.url;
  const sfn = new SFNClient({ endpoint: url, region: "us-east-1", credentials, maxAttempts: 1, disableHostPrefix: true });
  const sqs = new SQSClient({ endpoint: url, region: "us-east-1", credentials, maxAttempts: 1 });
  return {
    served, url, sfn, sqs,
    close: async () => {
      sfn.destroy();
      sqs.destroy();
      await stop(served, "SIGTERM");
    },
  };
}

/** The execution once it is no longer RUNNING (DescribeExecution, polled). */
export async function settled(sfn: SFNClient, executionArn: string): Promise<DescribeExecutionCommandOutput> {
  for (let i = 0; i < 400; i++) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== "RUNNING") return d;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${executionArn} still running`);
}

/** The whole history (GetExecutionHistory, every page). */
export async function historyOf(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, ...(nextToken ? { nextToken } : {}) }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/** Polls until a Task state with a task token in its parameters is scheduled; returns the token (as the README finds it with the AWS CLI). */
export async function waitForTaskToken(sfn: SFNClient, executionArn: string): Promise<string> {
  for (let i = 0; i < 400; i++) {
    for (const e of await historyOf(sfn, executionArn)) {
      const params = e.taskScheduledEventDetails?.parameters;
      const token = params ? findToken(JSON.parse(params) as Json) : undefined;
      if (token) return token;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${executionArn}: no task token scheduled`);
}

const findToken = (value: Json): string | undefined => {
  if (typeof value === "string") {
    // A message body may carry the token as JSON text.
    if (!value.startsWith("{")) return undefined;
    try {
      return findToken(JSON.parse(value) as Json);
    } catch {
      return undefined;
    }
  }
  if (value === null || typeof value !== "object") return undefined;
  if (!Array.isArray(value) && typeof value["taskToken"] === "string") return value["taskToken"];
  for (const v of Object.values(value)) {
    const t = findToken(v);
    if (t) return t;
  }
  return undefined;
};

/** Receives (and deletes) up to `max` messages from a queue of the server, waiting up to `waitSeconds` for the first. */
export async function receive(sqs: SQSClient, queueName: string, waitSeconds = 2, max = 10): Promise<string[]> {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
  const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: max, WaitTimeSeconds: waitSeconds }));
  const bodies: string[] = [];
  for (const m of got.Messages ?? []) {
    bodies.push(m.Body ?? "");
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
  }
  return bodies;
}
