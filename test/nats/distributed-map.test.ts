/**
 * A Distributed Map across runtime nodes (#6), with real processes: two `aslan serve --nats`
 * nodes and an `aslan worker` running the Lambda-like function each child execution calls.
 * The map run, its child executions and their results are the same seen from either node.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  CreateStateMachineCommand, DescribeExecutionCommand, DescribeMapRunCommand, GetExecutionHistoryCommand, ListExecutionsCommand, ListMapRunsCommand,
  StartExecutionCommand, type SFNClient,
} from "@aws-sdk/client-sfn";
import { ensureBuilt, ROOT } from "../cli/built-cli.js";
import { ROLE, startCluster, until, type Cluster } from "./cluster-processes.js";

const FUNCTION = join(ROOT, "test/nats/fixtures/dist-count.mjs");
const FN_ARN = "arn:aws:lambda:us-east-1:123456789012:function:count";
const ITEMS = 6;

/** A Distributed Map whose child executions run `states` (the item is each one's input). */
function fanOut(states: Record<string, unknown>, startAt: string): Record<string, unknown> {
  return {
    StartAt: "Each",
    States: {
      Each: {
        Type: "Map", ItemsPath: "$.items", MaxConcurrency: 3, Label: "Fan", End: true,
        ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: startAt, States: states },
      },
    },
  };
}

/** Each child calls the function (on the worker: n + 1), then waits a moment (a timer any node may fire). */
const COUNT_THEN_WAIT = fanOut({ Count: { Type: "Task", Resource: FN_ARN, Next: "Pause" }, Pause: { Type: "Wait", Seconds: 1, End: true } }, "Count");
/** Each child ends in the step that starts it, on the node that starts it. */
const PASS_THROUGH = fanOut({ Add: { Type: "Pass", Parameters: { "id.$": "$.id", "n.$": "States.MathAdd($.n, 1)" }, End: true } }, "Add");

let cluster: Cluster | undefined;
beforeAll(async () => {
  await ensureBuilt();
}, 180_000);
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

async function status(sfn: SFNClient, executionArn: string): Promise<string | undefined> {
  return (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status;
}

interface Run {
  readonly cluster: Cluster;
  readonly nodes: readonly { readonly name: string; readonly sfn: SFNClient }[];
  readonly stateMachineArn: string;
  readonly executionArn: string;
  readonly items: readonly { readonly id: string; readonly n: number }[];
}

/** Two nodes and a worker; the map's state machine created on A, its execution started on B and finished. */
async function runOnTwoNodes(definition: Record<string, unknown>): Promise<Run> {
  const c = (cluster = await startCluster(`export default { functions: { count: { handler: ${JSON.stringify(FUNCTION)}, timeoutSeconds: 10 } } };\n`));
  const [a, b] = await Promise.all([c.node(), c.node()]);
  if (!a || !b) throw new Error("two nodes");
  await c.worker("--adapters", "lambda", "--concurrency", "8");
  const { stateMachineArn } = await a.sfn.send(new CreateStateMachineCommand({ name: "fan", definition: JSON.stringify(definition), roleArn: ROLE }));
  const items = Array.from({ length: ITEMS }, (_, i) => ({ dir: c.dir, id: `item${i}`, n: i * 10 }));
  const { executionArn } = await b.sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ items }) }));
  if (!stateMachineArn || !executionArn) throw new Error("no ARNs");
  await until("the parent to finish", async () => (await status(a.sfn, executionArn)) !== "RUNNING", 15_000);
  return { cluster: c, nodes: [{ name: "A", sfn: a.sfn }, { name: "B", sfn: b.sfn }], stateMachineArn, executionArn, items };
}

/** Either node: the parent's output, its map run listed and described, its events. */
async function expectMapRunSeenAlike(run: Run): Promise<string> {
  const { executionArn, stateMachineArn, items } = run;
  let mapRunArn = "";
  for (const { name, sfn } of run.nodes) {
    const parent = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect([parent.status, (JSON.parse(parent.output ?? "null") as { n: number }[]).map((o) => o.n)], name).toEqual(["SUCCEEDED", items.map((item) => item.n + 1)]);
    const { mapRuns = [] } = await sfn.send(new ListMapRunsCommand({ executionArn }));
    expect(mapRuns.map((m) => [m.executionArn, m.stateMachineArn]), name).toEqual([[executionArn, stateMachineArn]]);
    mapRunArn = mapRuns[0]?.mapRunArn ?? "";
    expect(mapRunArn, name).toMatch(/:mapRun:fan\/Fan:/);
    const described = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    expect([described.status, described.executionArn, described.maxConcurrency, described.executionCounts?.succeeded, described.executionCounts?.total], name)
      .toEqual(["SUCCEEDED", executionArn, 3, ITEMS, ITEMS]);
    const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
    expect(events.map((e) => e.type).filter((t) => t?.startsWith("MapRun")), name).toEqual(["MapRunStarted", "MapRunSucceeded"]);
  }
  return mapRunArn;
}

describe("a Distributed Map across runtime nodes", () => {
  it("child executions that end where they start: the map run is listed and described alike on either node", async () => {
    await expectMapRunSeenAlike(await runOnTwoNodes(PASS_THROUGH));
  }, 30_000);

  // Children report their end to the parent once that end is stored (on any node), start only
  // once the parent's launching step is stored, and a node that reads the parent before a child
  // is stored keeps the child's ARN (the next commit used to drop it: a stall, or a count short).
  it("child executions that call a worker and wait: they run through both nodes, and either node lists them", async () => {
    const run = await runOnTwoNodes(COUNT_THEN_WAIT);
    const mapRunArn = await expectMapRunSeenAlike(run);
    for (const { name, sfn } of run.nodes) {
      const { executions = [] } = await sfn.send(new ListExecutionsCommand({ mapRunArn, maxResults: 100 }));
      expect(executions.map((e) => e.status), name).toEqual(Array<string>(ITEMS).fill("SUCCEEDED"));
      // Child executions are `…:execution:<machine>/<label>:<id>`, each with its own history.
      expect(executions.every((e) => e.executionArn?.includes(":execution:fan/Fan:")), name).toBe(true);
      const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn: executions[0]?.executionArn }));
      expect(events.filter((e) => e.type === "LambdaFunctionSucceeded"), name).toHaveLength(1);
    }
    // Each item's function ran once.
    const effects = readFileSync(join(run.cluster.dir, "effects.log"), "utf8").split("\n").filter(Boolean).sort();
    expect(effects).toEqual(run.items.map((item) => item.id).sort());
  }, 40_000);
});
