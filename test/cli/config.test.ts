/**
 * `aslan run` and `aslan serve` with a project config, as a user runs them: the built CLI
 * in child processes, functions in worker threads, the config found in the working
 * directory or given with --config, its problems and unrunnable resources refused with
 * exit 2, servers stopped by pid.
 */
import type { ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient, StartExecutionCommand, type DescribeExecutionCommandOutput } from "@aws-sdk/client-sfn";
import { ensureBuilt, runCli, type CliOutcome } from "./built-cli.js";
import { serve, type Served } from "./serve-process.js";

const aslan = (args: string[], cwd: string): Promise<CliOutcome> => runCli(args, { cwd });

let root: string;
let n = 0;
const running: ChildProcess[] = [];

/** A fresh project directory holding `files` (objects are written as JSON). */
function project(files: Record<string, unknown>): string {
  const dir = join(root, `p${++n}`);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), typeof content === "string" ? content : JSON.stringify(content));
  }
  return dir;
}

const FUNCTIONS = {
  "fns/charge.mjs": `
    export const handler = async (event, context) => {
      console.log("charging", event.amount);
      if (event.amount > 100) throw Object.assign(new Error("over the limit"), { name: "LimitExceeded" });
      return { charged: event.amount, by: context.functionName };
    };
  `,
  "fns/sleepy.mjs": "export const handler = () => new Promise(() => {});",
};

const CHARGE = {
  StartAt: "Charge",
  States: {
    Charge: {
      Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "charge", "Payload.$": "$" }, OutputPath: "$.Payload", End: true,
      Catch: [{ ErrorEquals: ["LimitExceeded"], ResultPath: "$.failure", Next: "Refused" }],
    },
    Refused: { Type: "Pass", End: true },
  },
};

const NO_STACK = /^\s+at\s/m;

beforeAll(async () => {
  await ensureBuilt();
  root = mkdtempSync(join(tmpdir(), "aslan-config-cli-"));
}, 180_000);

afterAll(() => {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  if (root) rmSync(root, { recursive: true, force: true });
});

describe("aslan run with a project config", () => {
  it("finds aslan.config.mjs in the working directory; functions run in workers; console output goes to stderr, stdout keeps one JSON result", async () => {
    const cwd = project({ ...FUNCTIONS, "aslan.config.mjs": `export default { functions: { charge: "./fns/charge.mjs" } };`, "flow.asl.json": CHARGE });
    const r = await aslan(["run", "flow.asl.json", "--input", '{"amount":3}', "--json"], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split("\n")).toHaveLength(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "SUCCEEDED", output: { charged: 3, by: "charge" } });
    expect(JSON.parse(r.stderr.trim())).toMatchObject({ function: "charge", requestId: expect.stringMatching(/^[0-9a-f-]{36}$/), msg: "charging 3" });
  });

  it("--config elsewhere: modules relative to the config file; a function's error is caught by its name with Lambda's cause", async () => {
    const conf = project({ ...FUNCTIONS, "aslan.config.json": { functions: { charge: { handler: "fns/charge.mjs", timeoutSeconds: 5 } } } });
    const cwd = project({ "flow.asl.json": CHARGE });
    const r = await aslan(["run", "flow.asl.json", "--config", join(conf, "aslan.config.json"), "--input", '{"amount":300}', "--json"], cwd);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { output: { failure: { Error: string; Cause: string } } };
    expect(out.output.failure.Error).toBe("LimitExceeded");
    expect(JSON.parse(out.output.failure.Cause)).toMatchObject({ errorType: "LimitExceeded", errorMessage: "over the limit" });
  });

  it("a function timeout fails the execution with Sandbox.Timedout; exit 1", async () => {
    const cwd = project({
      ...FUNCTIONS,
      "aslan.config.mjs": `export default { functions: { sleepy: { handler: "./fns/sleepy.mjs", timeoutSeconds: 1 } } };`,
      "flow.asl.json": { StartAt: "S", States: { S: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:sleepy", End: true } } },
    });
    const r = await aslan(["run", "flow.asl.json", "--json"], cwd);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "FAILED", error: "Sandbox.Timedout", cause: expect.stringContaining("Task timed out after 1.00 seconds") });
  });

  it("--functions keeps working beside a config: names the config lacks reach the module's functions", async () => {
    const cwd = project({
      ...FUNCTIONS,
      "aslan.config.mjs": `export default { functions: { charge: "./fns/charge.mjs" } };`,
      "local.mjs": "export const greet = (input) => ({ greeting: `hello ${input.who}` });",
      "flow.asl.json": {
        StartAt: "Greet",
        States: {
          Greet: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:greet", ResultPath: "$.greeting", Next: "Charge" },
          Charge: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:charge", ResultPath: "$.charge", End: true },
        },
      },
    });
    const r = await aslan(["run", "flow.asl.json", "--functions", "local.mjs", "--input", '{"who":"aslan","amount":2}', "--json"], cwd);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ output: { greeting: { greeting: "hello aslan" }, charge: { charged: 2 } } });
  });

  it("an execution left waiting for a task token says so and exits 1: idle worker threads do not keep the process alive", async () => {
    const cwd = project({
      "ask.mjs": "export const handler = async (event) => ({ sent: typeof event.token });",
      "aslan.config.mjs": `export default { functions: { ask: "./ask.mjs" } };`,
      "flow.asl.json": {
        StartAt: "Ask",
        States: { Ask: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken", Parameters: { FunctionName: "ask", Payload: { "token.$": "$$.Task.Token" } }, End: true } },
      },
    });
    const started = Date.now();
    const r = await aslan(["run", "flow.asl.json", "--json"], cwd);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/still RUNNING/);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "RUNNING" });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("every adapter in the table is built from the config: a topic's function subscription runs before the process exits", async () => {
    const cwd = project({
      "audit.mjs": `import { appendFileSync } from "node:fs";
        export const handler = async (event) => { appendFileSync("audit.log", event.Records[0].Sns.Message + "\\n"); };`,
      "aslan.config.mjs": `export default {
        functions: { audit: "./audit.mjs" },
        topics: { events: { subscriptions: [{ protocol: "lambda", endpoint: "audit" }] } },
      };`,
      "flow.asl.json": {
        StartAt: "Publish",
        States: { Publish: { Type: "Task", Resource: "arn:aws:states:::sns:publish", Parameters: { TopicArn: "arn:aws:sns:us-east-1:123456789012:events", "Message.$": "$.note" }, End: true } },
      },
    });
    const r = await aslan(["run", "flow.asl.json", "--input", '{"note":"order 7 placed"}', "--json"], cwd);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "SUCCEEDED", output: { MessageId: expect.any(String) } });
    expect(readFileSync(join(cwd, "audit.log"), "utf8")).toBe("order 7 placed\n");
  });

  it("a Task resource nothing configured runs: exit 2 before running, with its location and what is supported", async () => {
    const cwd = project({
      "flow.asl.json": {
        StartAt: "P",
        States: { P: { Type: "Parallel", End: true, Branches: [{ StartAt: "Put", States: { Put: { Type: "Task", Resource: "arn:aws:states:::foo:bar", End: true } } }] } },
      },
    });
    const r = await aslan(["run", "flow.asl.json"], cwd);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/invalid definition\n\s+ERROR \/States\/P\/Branches\/0\/States\/Put\/Resource: The resource provided arn:aws:states:::foo:bar is not recognized.*Supported: .*activity.*\[SCHEMA_VALIDATION_FAILED\]/);
    expect(r.stderr).not.toMatch(NO_STACK);
  });

  it("an invalid config: every problem with its path, exit 2, no stack trace", async () => {
    const cwd = project({
      "aslan.config.json": { functions: { Charge: { handler: 42 }, Refund: { handler: "refund.mjs", timeoutSeconds: 901 } }, queue: {} },
      "flow.asl.json": { StartAt: "P", States: { P: { Type: "Pass", End: true } } },
    });
    const r = await aslan(["run", "flow.asl.json"], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("functions.Charge.handler: expected a string, found 42");
    expect(r.stderr).toContain("functions.Refund.timeoutSeconds: expected a number from 1 to 900, found 901");
    expect(r.stderr).toContain("queue: unknown key");
    expect(r.stderr).not.toMatch(NO_STACK);
    const missing = await aslan(["run", "flow.asl.json", "--config", "absent.mjs"], cwd);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read config file '.*absent\.mjs': no such file/);
  });
});

/** One `aslan serve` process and its JSON log lines. */
/** `aslan serve --port 0` in `cwd`, in memory, killed in afterAll if a test leaves it running. */
function serveIn(args: string[], cwd: string): Served {
  const served = serve(["--port", "0", ...args], {}, cwd);
  running.push(served.child);
  return served;
}

async function settled(sfn: SFNClient, executionArn: string): Promise<DescribeExecutionCommandOutput> {
  for (let i = 0; i < 300; i++) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== "RUNNING") return d;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${executionArn} still running`);
}

describe("aslan serve with a project config", () => {
  it("--config: state machines reach the config's functions through the SDK; function output is JSON log lines; unrunnable resources are InvalidDefinition; SIGTERM stops it, exit 0", async () => {
    const conf = project({ ...FUNCTIONS, "conf/aslan.config.mjs": `export default { functions: { charge: "../fns/charge.mjs", sleepy: { handler: "../fns/sleepy.mjs", timeoutSeconds: 1 } } };` });
    const served = serveIn(["--config", "conf/aslan.config.mjs"], conf);
    const url = await served.url;
    const sfn = new SFNClient({ endpoint: url, region: "us-east-1", maxAttempts: 1, credentials: { accessKeyId: "AKID", secretAccessKey: "local" } });
    const roleArn = "arn:aws:iam::123456789012:role/DummyRole";

    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: "charge", definition: JSON.stringify(CHARGE), roleArn }));
    const ok = await settled(sfn, (await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{"amount":4}' }))).executionArn ?? "");
    expect(ok.status).toBe("SUCCEEDED");
    expect(JSON.parse(ok.output ?? "null")).toEqual({ charged: 4, by: "charge" });
    const caught = await settled(sfn, (await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{"amount":400}' }))).executionArn ?? "");
    expect(JSON.parse(caught.output ?? "null")).toMatchObject({ failure: { Error: "LimitExceeded" } });
    expect(served.lines.filter((l) => l["function"] === "charge").map((l) => l["msg"])).toEqual(["charging 4", "charging 400"]);

    const sleepy = JSON.stringify({ StartAt: "S", States: { S: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:sleepy", End: true } } });
    const { stateMachineArn: sleepyArn } = await sfn.send(new CreateStateMachineCommand({ name: "sleepy", definition: sleepy, roleArn }));
    const timedOut = await settled(sfn, (await sfn.send(new StartExecutionCommand({ stateMachineArn: sleepyArn }))).executionArn ?? "");
    expect([timedOut.status, timedOut.error]).toEqual(["FAILED", "Sandbox.Timedout"]);

    const unrunnable = JSON.stringify({ StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:states:::foo:bar", End: true } } });
    await expect(sfn.send(new CreateStateMachineCommand({ name: "unrunnable", definition: unrunnable, roleArn }))).rejects.toMatchObject({
      name: "InvalidDefinition",
      message: expect.stringMatching(/SCHEMA_VALIDATION_FAILED: The resource provided arn:aws:states:::foo:bar is not recognized.* at \/States\/T\/Resource/),
    });
    sfn.destroy();

    process.kill(served.child.pid ?? 0, "SIGTERM");
    expect(await served.exit).toBe(0);
    expect(served.lines.find((l) => l["msg"] === "project config loaded")?.["config"]).toBe(join(conf, "conf/aslan.config.mjs"));
    expect(served.stderr()).toBe("");
  });

  it("an invalid config found in the working directory: exit 2 with its problems, before listening", async () => {
    const cwd = project({ "aslan.config.json": { functions: { Charge: "missing.mjs" } } });
    const served = serveIn([], cwd);
    await expect(served.url).rejects.toThrow();
    expect(await served.exit).toBe(2);
    expect(served.stderr()).toMatch(/invalid config file '.*aslan\.config\.json':\n\s+functions\.Charge\.handler: no such file '.*missing\.mjs'/);
  });
});
