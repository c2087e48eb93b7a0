/**
 * Activity task tokens across a crash (issue #4): `aslan serve --data-dir` (the built CLI as a
 * process) is killed with SIGKILL while a worker holds a task it took with GetActivityTask.
 * After the restart that worker's token still answers the task, once, and its execution
 * succeeds with that output; the task is not handed to a second worker (as on AWS, one task
 * goes to one worker); a task nobody had taken is handed out after the restart; and once
 * answered, the token answers TaskTimedOut, after another restart too.
 */
import {
  CreateActivityCommand, CreateStateMachineCommand, DescribeExecutionCommand, GetActivityTaskCommand, GetExecutionHistoryCommand,
  SendTaskHeartbeatCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand, type HistoryEvent as SdkEvent,
} from "@aws-sdk/client-sfn";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "../cli/built-cli.js";
import { serve, stop, type Served } from "../cli/serve-process.js";

const ROLE_ARN = "arn:aws:iam::123456789012:role/aslan";
const dir = mkdtempSync(join(tmpdir(), "aslan-activity-restart-"));
const running: Served[] = [];
const clients: SFNClient[] = [];

function server(): Served {
  const served = serve(["--port", "0", "--log-level", "warn", "--data-dir", join(dir, "data")]);
  running.push(served);
  return served;
}

async function sfnOf(served: Served): Promise<SFNClient> {
  const c = new SFNClient({ endpoint: await served.url, region: "us-east-1", maxAttempts: 1, credentials: { accessKeyId: "AKID", secretAccessKey: "s" } });
  clients.push(c);
  return c;
}

async function errorName(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return (e as Error).name;
  }
}

/** Every task GetActivityTask hands this worker until a poll waits `quietMs` with none. */
async function drain(sfn: SFNClient, activityArn: string, workerName: string, quietMs: number): Promise<{ taskToken: string; input: string }[]> {
  const got: { taskToken: string; input: string }[] = [];
  for (;;) {
    const abortSignal = AbortSignal.timeout(quietMs);
    const task = await sfn.send(new GetActivityTaskCommand({ activityArn, workerName }), { abortSignal }).catch((e: unknown) => {
      if (abortSignal.aborted) return undefined;
      throw e;
    });
    if (!task?.taskToken) return got;
    got.push({ taskToken: task.taskToken, input: task.input ?? "" });
  }
}

async function finished(sfn: SFNClient, executionArn: string): Promise<{ status: string | undefined; output: unknown; events: SdkEvent[] }> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== "RUNNING") {
      const events = (await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events ?? [];
      return { status: d.status, output: JSON.parse(d.output ?? "null") as unknown, events };
    }
    if (Date.now() > deadline) throw new Error(`${executionArn} still runs`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  await ensureBuilt();
}, 180_000);

afterAll(() => {
  for (const c of clients) c.destroy();
  for (const s of running) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

describe("activity tasks across a SIGKILL of aslan serve --data-dir", () => {
  it("a worker's token from before the crash answers its task once; the task goes to no second worker", async () => {
    const first = server();
    let sfn = await sfnOf(first);
    const { activityArn } = await sfn.send(new CreateActivityCommand({ name: "work" }));
    const definition = { StartAt: "Work", States: { Work: { Type: "Task", Resource: activityArn, End: true } } };
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: "Worked", definition: JSON.stringify(definition), roleArn: ROLE_ARN }));
    const start = async (name: string, input: object): Promise<string> =>
      (await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }))).executionArn as string;

    const taken = await start("taken", { n: 1 });
    const [held] = await drain(sfn, activityArn as string, "before-crash", 2_000);
    expect(held?.input).toBe('{"n":1}');
    const token = held?.taskToken as string;
    // Answered once the step it caused is stored: ActivityStarted is on disk before the kill.
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    const waiting = await start("waiting", { n: 2 });
    await stop(first, "SIGKILL");

    const second = server();
    sfn = await sfnOf(second);
    // The task nobody had taken is handed out; the one "before-crash" holds is not.
    const after = await drain(sfn, activityArn as string, "after-crash", 1_500);
    expect(after.map((t) => t.input)).toEqual(['{"n":2}']);
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ by: "before-crash" }) }));
    expect(await errorName(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" })))).toBe("TaskTimedOut");
    await sfn.send(new SendTaskSuccessCommand({ taskToken: after[0]?.taskToken, output: JSON.stringify({ by: "after-crash" }) }));

    const done = await finished(sfn, taken);
    expect(done).toMatchObject({ status: "SUCCEEDED", output: { by: "before-crash" } });
    expect(done.events.map((e) => e.type)).toEqual([
      "ExecutionStarted", "TaskStateEntered", "ActivityScheduled", "ActivityStarted", "ActivitySucceeded", "TaskStateExited", "ExecutionSucceeded",
    ]);
    expect(done.events.map((e) => e.id)).toEqual(done.events.map((_, i) => i + 1));
    expect(done.events.find((e) => e.type === "ActivityStarted")?.activityStartedEventDetails).toEqual({ workerName: "before-crash" });
    expect(done.events.find((e) => e.type === "ActivitySucceeded")?.activitySucceededEventDetails?.output).toBe('{"by":"before-crash"}');
    const other = await finished(sfn, waiting);
    expect(other).toMatchObject({ status: "SUCCEEDED", output: { by: "after-crash" } });
    expect(other.events.filter((e) => e.type === "ActivityStarted").map((e) => e.activityStartedEventDetails)).toEqual([{ workerName: "after-crash" }]);
    await stop(second, "SIGKILL");

    // A restart forgets which tokens were used; the token names its execution, which has ended.
    const third = server();
    sfn = await sfnOf(third);
    expect(await errorName(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" })))).toBe("TaskTimedOut");
    expect(await errorName(sfn.send(new SendTaskHeartbeatCommand({ taskToken: after[0]?.taskToken })))).toBe("TaskTimedOut");
    expect(await stop(third, "SIGTERM")).toBe(0);
  }, 60_000);
});
