/**
 * Executions that have left the engine's memory are read from the store:
 * DescribeExecution, GetExecutionHistory (pages, reverse order, tokens that go on across the
 * move), ListExecutions (memory and store together, each execution once),
 * DescribeStateMachineForExecution, StopExecution; their names stay taken. And the engine
 * lets go of a finished execution once the store holds its end.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateStateMachineCommand, DescribeExecutionCommand, DescribeStateMachineForExecutionCommand, GetExecutionHistoryCommand,
  ListExecutionsCommand, PublishStateMachineVersionCommand, RedriveExecutionCommand, StartExecutionCommand, StopExecutionCommand, type HistoryEvent, type ListExecutionsCommandOutput,
} from "@aws-sdk/client-sfn";
import { ACCOUNT, errorName, passHistory, ROLE_ARN, startDurable, storeFinished, tempDir, type Durable } from "./helpers.js";

const definition = JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", Result: { ok: true }, End: true } } });
const waiting = JSON.stringify({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 3600, End: true } } });
const T0 = Date.UTC(2025, 0, 1);

describe("executions read from the store once they have left memory", () => {
  const dir = tempDir("aslan-executions-");
  let durable: Durable;
  let stateMachineArn: string;

  beforeAll(async () => {
    durable = await startDurable(dir.path);
    ({ stateMachineArn } = (await durable.sfn.send(new CreateStateMachineCommand({ name: "flow", definition, roleArn: ROLE_ARN }))) as { stateMachineArn: string });
    await durable.sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn }));
    for (let i = 0; i < 5; i++) await storeFinished(durable.store, "flow", `old-${i}`, T0 + i * 1000);
    await storeFinished(durable.store, "flow", "by-version", T0 + 9000, { stateMachineVersionArn: `${stateMachineArn}:1` });
  });

  afterAll(async () => {
    await durable.stop();
    dir.remove();
  });

  it("DescribeExecution answers from the store as it did from memory", async () => {
    const executionArn = `${ACCOUNT}:execution:flow:old-3`;
    const d = await durable.sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(d).toMatchObject({
      executionArn, stateMachineArn, name: "old-3", status: "SUCCEEDED", input: '{"name":"old-3"}', output: '{"done":"old-3"}',
      inputDetails: { included: true }, outputDetails: { included: true }, redriveCount: 0, redriveStatus: "NOT_REDRIVABLE",
    });
    expect(d.startDate?.getTime()).toBe(T0 + 3000);
    expect(d.stopDate?.getTime()).toBe(T0 + 3010);
    const meta = await durable.sfn.send(new DescribeExecutionCommand({ executionArn, includedData: "METADATA_ONLY" }));
    expect(meta.input).toBeUndefined();
    expect(meta.output).toBeUndefined();
    expect(await errorName(durable.sfn.send(new DescribeExecutionCommand({ executionArn: `${ACCOUNT}:execution:flow:never` })))).toBe("ExecutionDoesNotExist");
  });

  it("GetExecutionHistory pages through the stored events, both ways", async () => {
    const executionArn = `${ACCOUNT}:execution:flow:old-1`;
    const expected = passHistory(T0 + 1000, '{"name":"old-1"}', '{"done":"old-1"}');
    const all = (await durable.sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events ?? [];
    expect(all.map((e) => [e.id, e.type, e.timestamp?.getTime()])).toEqual(expected.map((e) => [e.id, e.type, e.timestamp]));
    expect(all[1]?.stateEnteredEventDetails).toEqual({ name: "P0", input: '{"name":"old-1"}' });
    const paged = async (reverseOrder: boolean): Promise<HistoryEvent[]> => {
      const events: HistoryEvent[] = [];
      let nextToken: string | undefined;
      do {
        const page = await durable.sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder, maxResults: 3, ...(nextToken ? { nextToken } : {}) }));
        expect(page.events?.length).toBeLessThanOrEqual(3);
        events.push(...(page.events ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      return events;
    };
    expect(await paged(false)).toEqual(all);
    expect(await paged(true)).toEqual([...all].reverse());
    const noData = await durable.sfn.send(new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false }));
    expect(noData.events?.[1]?.stateEnteredEventDetails).toEqual({ name: "P0" });
    const other = await durable.sfn.send(new GetExecutionHistoryCommand({ executionArn: `${ACCOUNT}:execution:flow:old-2`, maxResults: 2 }));
    expect(await errorName(durable.sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, nextToken: other.nextToken })))).toBe("InvalidToken");
  });

  it("ListExecutions lists memory and store together, newest first, each once, page by page", async () => {
    const live = await durable.sfn.send(new StartExecutionCommand({ stateMachineArn, name: "live" }));
    await waitFor(async () => (await durable.sfn.send(new DescribeExecutionCommand({ executionArn: live.executionArn }))).status === "SUCCEEDED");
    // Newer than the live one, and between two stored ones.
    await storeFinished(durable.store, "flow", "future", Date.now() + 3_600_000);
    await storeFinished(durable.store, "flow", "between", T0 + 2500);
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await durable.sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 2, ...(nextToken ? { nextToken } : {}) }));
      names.push(...(page.executions ?? []).map((e) => e.name as string));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(names).toEqual(["future", "live", "by-version", "old-4", "old-3", "between", "old-2", "old-1", "old-0"]);
    const pageSizes: number[] = [];
    nextToken = undefined;
    do {
      const page: ListExecutionsCommandOutput = await durable.sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 4, ...(nextToken ? { nextToken } : {}) }));
      pageSizes.push(page.executions?.length ?? 0);
      nextToken = page.nextToken;
    } while (nextToken);
    expect(pageSizes).toEqual([4, 4, 1]);
    const byVersion = await durable.sfn.send(new ListExecutionsCommand({ stateMachineArn: `${stateMachineArn}:1` }));
    expect(byVersion.executions?.map((e) => [e.name, e.stateMachineArn, e.stateMachineVersionArn])).toEqual([["by-version", stateMachineArn, `${stateMachineArn}:1`]]);
    const failed = await durable.sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: "FAILED" }));
    expect(failed.executions).toEqual([]);
  });

  it("DescribeStateMachineForExecution, StopExecution and the name of an execution that has left memory", async () => {
    const executionArn = `${ACCOUNT}:execution:flow:by-version`;
    const d = await durable.sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn }));
    expect(d).toMatchObject({ stateMachineArn, name: "flow", definition });
    const stopped = await durable.sfn.send(new StopExecutionCommand({ executionArn }));
    expect(stopped.stopDate?.getTime()).toBe(T0 + 9010);
    expect(await errorName(durable.sfn.send(new StartExecutionCommand({ stateMachineArn, name: "old-0", input: '{"name":"old-0"}' })))).toBe("ExecutionAlreadyExists");
  });

  it("the engine lets go of a finished execution once the store holds its end, and the API still answers the same", async () => {
    const { context } = durable.server;
    const { executionArn } = (await durable.sfn.send(new StartExecutionCommand({ stateMachineArn, name: "evicted", input: '{"n":1}' }))) as { executionArn: string };
    await waitFor(async () => (await durable.sfn.send(new DescribeExecutionCommand({ executionArn }))).status === "SUCCEEDED");
    const before = await durable.sfn.send(new DescribeExecutionCommand({ executionArn }));
    const history = (await durable.sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events;
    await waitFor(async () => context.engine.getExecution(executionArn) === undefined);
    expect((await durable.store.load(executionArn))?.summary.status).toBe("SUCCEEDED");
    expect(await durable.sfn.send(new DescribeExecutionCommand({ executionArn }))).toEqual({ ...before, $metadata: expect.anything() });
    expect((await durable.sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events).toEqual(history);
    expect(await errorName(durable.sfn.send(new StartExecutionCommand({ stateMachineArn, name: "evicted", input: '{"n":1}' })))).toBe("ExecutionAlreadyExists");
  });

  it("an execution started through a version is listed under its state machine and its version after it has left memory", async () => {
    const { context } = durable.server;
    const { executionArn } = (await durable.sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}:1`, name: "versioned" }))) as { executionArn: string };
    await waitFor(() => context.engine.getExecution(executionArn) === undefined);
    const d = await durable.sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(d).toMatchObject({ stateMachineArn, stateMachineVersionArn: `${stateMachineArn}:1`, status: "SUCCEEDED" });
    const underVersion = await durable.sfn.send(new ListExecutionsCommand({ stateMachineArn: `${stateMachineArn}:1` }));
    expect(underVersion.executions?.map((e) => e.name)).toContain("versioned");
    const underMachine = await durable.sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 1000 }));
    expect(underMachine.executions?.map((e) => e.name)).toContain("versioned");
  });

  it("a running execution is listed once (memory and store); once stopped and gone from memory it is described and redriven from the store", async () => {
    const { context } = durable.server;
    const sleepy = (await durable.sfn.send(new CreateStateMachineCommand({ name: "sleepy", definition: waiting, roleArn: ROLE_ARN }))).stateMachineArn as string;
    await storeFinished(durable.store, "sleepy", "earlier", T0);
    const { executionArn } = (await durable.sfn.send(new StartExecutionCommand({ stateMachineArn: sleepy, name: "napping" }))) as { executionArn: string };
    // StartExecution answers once the start is stored.
    expect((await durable.store.load(executionArn))?.summary.status).toBe("RUNNING");
    const listed = await durable.sfn.send(new ListExecutionsCommand({ stateMachineArn: sleepy }));
    expect(listed.executions?.map((e) => [e.name, e.status])).toEqual([["napping", "RUNNING"], ["earlier", "SUCCEEDED"]]);

    await durable.sfn.send(new StopExecutionCommand({ executionArn, error: "Bored" }));
    await waitFor(() => context.engine.getExecution(executionArn) === undefined);
    const stopped = await durable.sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(stopped).toMatchObject({ status: "ABORTED", error: "Bored", redriveStatus: "REDRIVABLE" });
    const aborted = await durable.sfn.send(new ListExecutionsCommand({ stateMachineArn: sleepy, statusFilter: "ABORTED" }));
    expect(aborted.executions?.map((e) => e.name)).toEqual(["napping"]);

    await durable.sfn.send(new RedriveExecutionCommand({ executionArn }));
    const redriven = await durable.sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(redriven).toMatchObject({ status: "RUNNING", redriveCount: 1 });
    await durable.sfn.send(new StopExecutionCommand({ executionArn }));
  });
});

async function waitFor(condition: () => Promise<boolean> | boolean): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("condition never held");
}
