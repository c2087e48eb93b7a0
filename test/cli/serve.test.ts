/**
 * `aslan serve` as a user runs it: the built CLI in a child process on a free loopback port
 * (`--port 0`, the URL read from its start-up log), driven with the SDK, stopped by pid.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateStateMachineCommand, DescribeExecutionCommand, DescribeStateMachineCommand, SFNClient, StartExecutionCommand, type SFNClientConfig,
} from "@aws-sdk/client-sfn";
import { ensureBuilt } from "./built-cli.js";
import { serve, stop, type Served } from "./serve-process.js";

const ROLE_ARN = "arn:aws:iam::123456789012:role/DummyRole";
const DEFINITION = JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });
const KEY = { accessKeyId: "AKIDSERVETEST", secretAccessKey: "serve-test-secret" };


const sfnAt = (url: string, config: Partial<SFNClientConfig> = {}): SFNClient =>
  new SFNClient({ endpoint: url, region: "us-east-1", maxAttempts: 1, credentials: KEY, ...config });

let dir: string;
const running: Served[] = [];
const started = (served: Served): Served => (running.push(served), served);

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), "aslan-serve-"));
}, 180_000);

afterAll(() => {
  for (const s of running) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill("SIGKILL");
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("aslan serve", () => {
  it("serves the API on the port it logs, logs each request, and stops on SIGTERM with exit 0", async () => {
    const served = started(serve(["--port", "0"]));
    const url = await served.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const listening = served.lines.find((l) => l["url"] === url);
    expect(listening?.["msg"]).toMatch(/not authenticated/i);

    const sfn = sfnAt(url);
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: "served", definition: DEFINITION, roleArn: ROLE_ARN }));
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
    expect(described.definition).toBe(DEFINITION);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${url}/metrics`)).text()).toContain('aslan_api_requests_total{action="CreateStateMachine",status="200"} 1');
    sfn.destroy();

    expect(await stop(served, "SIGTERM")).toBe(0);
    const requests = served.lines.filter((l) => l["msg"] === "request");
    expect(requests.map((l) => l["action"])).toEqual(["CreateStateMachine", "DescribeStateMachine"]);
    for (const r of requests) {
      expect(r).toMatchObject({ status: 200, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/), ms: expect.any(Number) });
    }
    expect(served.lines.at(-1)?.["msg"]).toBe("stopped");
    expect(served.stderr()).toBe("");
  });

  it("with credentials from the environment, only requests signed with them are served; SIGINT stops it with exit 0", async () => {
    const served = started(serve(["--port", "0"], { ASLAN_ACCESS_KEY_ID: KEY.accessKeyId, ASLAN_SECRET_ACCESS_KEY: KEY.secretAccessKey }));
    const url = await served.url;
    expect(served.lines.find((l) => l["url"] === url)).toMatchObject({ authentication: "sigv4" });
    const good = sfnAt(url);
    const { stateMachineArn } = await good.send(new CreateStateMachineCommand({ name: "signed", definition: DEFINITION, roleArn: ROLE_ARN }));
    expect(stateMachineArn).toMatch(/:stateMachine:signed$/);
    const wrong = sfnAt(url, { credentials: { ...KEY, secretAccessKey: "guess" } });
    await expect(wrong.send(new DescribeStateMachineCommand({ stateMachineArn }))).rejects.toMatchObject({ name: "InvalidSignatureException" });
    good.destroy();
    wrong.destroy();
    expect(await stop(served, "SIGINT")).toBe(0);
  });

  it("--functions, --virtual-time, --region, --account-id: a Task calls the module's function, an hour's Wait passes at once, ARNs name the region and account", async () => {
    const fns = join(dir, "fns.mjs");
    writeFileSync(fns, "export const greet = (input) => ({ greeting: `hello ${input.who}` });");
    const served = started(serve(["--port", "0", "--functions", fns, "--virtual-time", "--log-level", "warn", "--region", "eu-west-1", "--account-id", "111122223333"]));
    const url = await served.url;
    const sfn = sfnAt(url);
    const definition = JSON.stringify({
      StartAt: "Nap",
      States: {
        Nap: { Type: "Wait", Seconds: 3600, Next: "Greet" },
        Greet: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:greet", End: true },
      },
    });
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: "greeter", definition, roleArn: ROLE_ARN }));
    expect(stateMachineArn).toBe("arn:aws:states:eu-west-1:111122223333:stateMachine:greeter");
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ who: "aslan" }) }));
    let execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    for (let i = 0; i < 100 && execution.status === "RUNNING"; i++) {
      await new Promise((r) => setTimeout(r, 20));
      execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    }
    expect(execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.output ?? "null")).toEqual({ greeting: "hello aslan" });
    sfn.destroy();
    expect(await stop(served, "SIGTERM")).toBe(0);
    // --log-level warn: the start-up warning (unauthenticated) but no per-request lines.
    expect(served.lines.filter((l) => l["msg"] === "request")).toEqual([]);
  });

  it("a port already in use is a clear error, exit 2", async () => {
    const first = started(serve(["--port", "0"]));
    const port = new URL(await first.url).port;
    const second = started(serve(["--port", port]));
    await expect(second.url).rejects.toThrow();
    expect(await second.exit).toBe(2);
    expect(second.stderr()).toContain(`cannot listen on 127.0.0.1:${port}: the address is in use`);
    expect(await stop(first, "SIGTERM")).toBe(0);
  });

  it.each([
    [["--host", "0.0.0.0"], {}, /refusing to serve unauthenticated requests on 0\.0\.0\.0.*--allow-unauthenticated/s],
    [["--port", "http"], {}, /--port must be a port number/],
    [["--port", "70000"], {}, /--port must be a port number/],
    [["--log-level", "loud"], {}, /--log-level must be one of/],
    [["--prot", "9000"], {}, /unknown option --prot/],
    [["--access-key-id", "AKID"], {}, /go together/],
    [[], { ASLAN_SECRET_ACCESS_KEY: "only-the-secret" }, /go together/],
    [["extra"], {}, /takes no arguments/],
    [["--region", "mars"], {}, /--region must be a region name/],
    [["--account-id", "12"], {}, /--account-id must be 12 digits/],
  ])("%j %j is refused with exit 2 and a message", async (args, env, message) => {
    const served = started(serve([...args], env));
    expect(await served.exit).toBe(2);
    expect(served.stderr()).toMatch(message);
    expect(served.stderr()).not.toMatch(/^\s+at\s/m);
  });
});
