/**
 * `GET /metrics`: executions driven through the SDK show up in the Prometheus counters
 * (started, succeeded, failed, timed out, aborted), task latency by outcome, and API
 * requests by action and status.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateStateMachineCommand, DescribeExecutionCommand, DescribeStateMachineCommand, StartExecutionCommand, StopExecutionCommand,
} from "@aws-sdk/client-sfn";
import { errorName, ROLE_ARN, startTestApi, type TestApi } from "./helpers.js";

const LAMBDA = (name: string): string => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

const MACHINES = {
  pass: { StartAt: "P", States: { P: { Type: "Pass", End: true } } },
  fail: { StartAt: "F", States: { F: { Type: "Fail", Error: "Boom", Cause: "on purpose" } } },
  timeout: { StartAt: "W", TimeoutSeconds: 5, States: { W: { Type: "Wait", Seconds: 60, End: true } } },
  // A callback task nobody answers: RUNNING until stopped.
  waiting: { StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken", Parameters: { FunctionName: "hold", "Token.$": "$$.Task.Token" }, End: true } } },
  tasks: {
    StartAt: "Ok",
    States: {
      Ok: { Type: "Task", Resource: LAMBDA("double"), Next: "Bad" },
      Bad: { Type: "Task", Resource: LAMBDA("explode"), End: true, Catch: [{ ErrorEquals: ["States.ALL"], Next: "Done" }] },
      Done: { Type: "Succeed" },
    },
  },
} as const;

/** `name{labels} value` lines of the exposition, as a map (labels in the order prom-client writes them). */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

describe("GET /metrics", () => {
  let api: TestApi;
  const arns: Record<string, string> = {};
  beforeAll(async () => {
    api = await startTestApi({
      virtualTime: true,
      functions: {
        double: (input) => input,
        explode: () => {
          throw Object.assign(new Error("kaboom"), { name: "Exploded" });
        },
        hold: () => new Promise(() => undefined),
      },
    });
    for (const [name, definition] of Object.entries(MACHINES)) {
      const created = await api.sfn.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: ROLE_ARN }));
      arns[name] = created.stateMachineArn ?? "";
    }
  });
  afterAll(() => api.close());

  async function scrape(): Promise<Map<string, number>> {
    const res = await fetch(`${api.server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    return samples(await res.text());
  }

  async function finished(executionArn: string): Promise<string> {
    for (let i = 0; i < 200; i++) {
      const { status } = await api.sfn.send(new DescribeExecutionCommand({ executionArn }));
      if (status !== "RUNNING") return status ?? "";
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`${executionArn} still RUNNING`);
  }

  const start = async (machine: string): Promise<string> =>
    (await api.sfn.send(new StartExecutionCommand({ stateMachineArn: arns[machine], input: "{}" }))).executionArn ?? "";

  it("counts executions started and how they ended", async () => {
    const before = await scrape();
    expect(before.get("aslan_executions_started_total")).toBe(0);
    for (const name of ["succeeded", "failed", "timed_out", "aborted"]) expect(before.get(`aslan_executions_${name}_total`)).toBe(0);

    expect(await finished(await start("pass"))).toBe("SUCCEEDED");
    expect(await finished(await start("pass"))).toBe("SUCCEEDED");
    expect(await finished(await start("fail"))).toBe("FAILED");
    expect(await finished(await start("timeout"))).toBe("TIMED_OUT");
    const held = await start("waiting");
    await api.sfn.send(new StopExecutionCommand({ executionArn: held }));
    expect(await finished(held)).toBe("ABORTED");

    const after = await scrape();
    expect(after.get("aslan_executions_started_total")).toBe(5);
    expect(after.get("aslan_executions_succeeded_total")).toBe(2);
    expect(after.get("aslan_executions_failed_total")).toBe(1);
    expect(after.get("aslan_executions_timed_out_total")).toBe(1);
    expect(after.get("aslan_executions_aborted_total")).toBe(1);
  });

  it("has a histogram of task latency by outcome", async () => {
    expect(await finished(await start("tasks"))).toBe("SUCCEEDED");
    const m = await scrape();
    expect(m.get('aslan_task_duration_seconds_count{outcome="succeeded"}')).toBeGreaterThanOrEqual(1);
    expect(m.get('aslan_task_duration_seconds_count{outcome="failed"}')).toBeGreaterThanOrEqual(1);
    expect(m.get('aslan_task_duration_seconds_bucket{le="+Inf",outcome="failed"}')).toBe(m.get('aslan_task_duration_seconds_count{outcome="failed"}'));
  });

  it("counts API requests by action and HTTP status; unknown operations never become labels", async () => {
    const before = await scrape();
    const described = 'aslan_api_requests_total{action="DescribeStateMachine",status="200"}';
    const missing = 'aslan_api_requests_total{action="DescribeStateMachine",status="400"}';
    await api.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arns["pass"] }));
    await api.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arns["pass"] }));
    expect(await errorName(api.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${arns["pass"]}-gone` })))).toBe("StateMachineDoesNotExist");
    await fetch(api.server.url, { method: "POST", headers: { "x-amz-target": "AWSStepFunctions.MakeMeALabel" }, body: "{}" });

    const after = await scrape();
    expect((after.get(described) ?? 0) - (before.get(described) ?? 0)).toBe(2);
    expect((after.get(missing) ?? 0) - (before.get(missing) ?? 0)).toBe(1);
    expect(after.get('aslan_api_requests_total{action="CreateStateMachine",status="200"}')).toBe(Object.keys(MACHINES).length);
    expect([...after.keys()].some((k) => k.includes("MakeMeALabel"))).toBe(false);
    expect(after.get('aslan_api_requests_total{action="-",status="400"}')).toBeGreaterThanOrEqual(1);
    expect(after.get('aslan_api_request_duration_seconds_count{action="DescribeStateMachine"}')).toBeGreaterThanOrEqual(3);
  });

  it("two servers in one process keep separate counts", async () => {
    const other = await startTestApi();
    try {
      const text = await (await fetch(`${other.server.url}/metrics`)).text();
      expect(samples(text).get("aslan_executions_started_total")).toBe(0);
      expect(text).not.toContain('action="DescribeStateMachine"');
    } finally {
      await other.close();
    }
  });
});
