/**
 * `aslan serve --data-dir` as a user runs it (the built CLI as a process, stopped by pid):
 * what was created is there after a restart, after a clean stop and after kill -9; one
 * process per data directory; stored data it cannot read stops it with exit 2 and the
 * record named, not a crash.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateActivityCommand, CreateStateMachineAliasCommand, CreateStateMachineCommand, DescribeExecutionCommand, DescribeStateMachineAliasCommand,
  GetExecutionHistoryCommand, ListActivitiesCommand,
  ListStateMachinesCommand, ListStateMachineVersionsCommand, ListTagsForResourceCommand, SFNClient,
} from "@aws-sdk/client-sfn";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ensureBuilt, runCli } from "../cli/built-cli.js";
import { serve, stop, type Served } from "../cli/serve-process.js";
import { LmdbExecutionStore } from "../../runtime/stores/lmdb-execution-store.js";
import { ACCOUNT, ROLE_ARN, tempDir } from "./helpers.js";

const definition = JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });
const running: Served[] = [];
const dir = tempDir("aslan-data-dir-");
const clients: SFNClient[] = [];

const started = (args: string[]): Served => {
  const served = serve(["--port", "0", "--log-level", "warn", ...args]);
  running.push(served);
  return served;
};

const sfnAt = (url: string): SFNClient => {
  const c = new SFNClient({ endpoint: url, region: "us-east-1", maxAttempts: 1, credentials: { accessKeyId: "AKID", secretAccessKey: "s" } });
  clients.push(c);
  return c;
};

beforeAll(async () => {
  await ensureBuilt();
}, 180_000);

afterAll(() => {
  for (const c of clients) c.destroy();
  for (const s of running) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill("SIGKILL");
  dir.remove();
});

describe("aslan serve --data-dir", () => {
  const data = join(dir.path, "data");
  const stateMachineArn = `${ACCOUNT}:stateMachine:orders`;

  it("shows the same state machines, versions, aliases, activities and tags after a restart", async () => {
    const first = started(["--data-dir", data]);
    const sfn = sfnAt(await first.url);
    await sfn.send(new CreateStateMachineCommand({ name: "orders", definition, roleArn: ROLE_ARN, publish: true, tags: [{ key: "team", value: "a" }] }));
    await sfn.send(new CreateStateMachineAliasCommand({ name: "prod", routingConfiguration: [{ stateMachineVersionArn: `${stateMachineArn}:1`, weight: 100 }] }));
    await sfn.send(new CreateActivityCommand({ name: "approve" }));
    expect(existsSync(join(data, "aslan.lock"))).toBe(true);
    expect(await stop(first, "SIGTERM")).toBe(0);
    expect(existsSync(join(data, "aslan.lock"))).toBe(false);

    const second = started(["--data-dir", data]);
    const again = sfnAt(await second.url);
    expect((await again.send(new ListStateMachinesCommand({}))).stateMachines?.map((s) => s.stateMachineArn)).toEqual([stateMachineArn]);
    expect((await again.send(new ListStateMachineVersionsCommand({ stateMachineArn }))).stateMachineVersions?.map((v) => v.stateMachineVersionArn)).toEqual([`${stateMachineArn}:1`]);
    expect((await again.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: `${stateMachineArn}:prod` }))).routingConfiguration).toEqual([{ stateMachineVersionArn: `${stateMachineArn}:1`, weight: 100 }]);
    expect((await again.send(new ListActivitiesCommand({}))).activities?.map((a) => a.name)).toEqual(["approve"]);
    expect((await again.send(new ListTagsForResourceCommand({ resourceArn: stateMachineArn }))).tags).toEqual([{ key: "team", value: "a" }]);

    // One process per data directory.
    const intruder = started(["--data-dir", data]);
    expect(await intruder.exit).toBe(2);
    expect(intruder.stderr()).toMatch(new RegExp(`data directory .* is in use by another aslan process \\(pid ${second.child.pid}\\)`));

    // A lock left by a killed process is taken over.
    await stop(second, "SIGKILL");
    const third = started(["--data-dir", data]);
    const after = sfnAt(await third.url);
    expect((await after.send(new ListActivitiesCommand({}))).activities?.map((a) => a.name)).toEqual(["approve"]);
    expect(await stop(third, "SIGTERM")).toBe(0);
  }, 60_000);

  it("exits 2 naming the record when stored data cannot be read, and changes nothing", async () => {
    const store = await LmdbExecutionStore.open({ path: data });
    const key = `stateMachine/${stateMachineArn}`;
    await store.writeRawRecord("document", key, Uint8Array.of(0x92, 0x07, 0x80));
    await store.close();
    const broken = started(["--data-dir", data]);
    expect(await broken.exit).toBe(2);
    expect(broken.stderr()).toContain(`corrupted document record ${JSON.stringify(key)}: unknown format version 7`);
    expect(broken.stderr()).toContain("restore the data directory from a backup");
    expect(broken.stderr()).not.toMatch(/\n\s+at /);
    expect(existsSync(join(data, "aslan.lock"))).toBe(false);
  }, 30_000);

  it("aslan run --data-dir records its execution there, and aslan serve on that directory describes it", async () => {
    const runDir = join(dir.path, "run-data");
    const flow = join(dir.path, "flow.asl.json");
    writeFileSync(flow, JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", Result: { done: true }, End: true } } }));
    const ran = await runCli(["run", flow, "--data-dir", runDir, "--json"]);
    expect(ran.code).toBe(0);
    const { executionArn } = JSON.parse(ran.stdout) as { executionArn: string };
    const served = started(["--data-dir", runDir]);
    const sfn = sfnAt(await served.url);
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(d).toMatchObject({ status: "SUCCEEDED", output: '{"done":true}' });
    expect((await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events?.map((e) => e.type)).toEqual(["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]);
    expect(await stop(served, "SIGTERM")).toBe(0);
  }, 30_000);

  it("refuses --in-memory with --data-dir, and a retention that is not a number of days", async () => {
    const both = started(["--in-memory", "--data-dir", data]);
    expect(await both.exit).toBe(2);
    expect(both.stderr()).toContain("--in-memory and --data-dir exclude each other");
    const bad = started(["--in-memory", "--retention-days", "soon"]);
    expect(await bad.exit).toBe(2);
    expect(bad.stderr()).toContain("--retention-days must be a positive number of days, got 'soon'");
  }, 30_000);
});
