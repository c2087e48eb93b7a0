/**
 * Retention: finished executions are removed once they finished longer ago than the
 * retention period (AWS: 90 days), by a periodic sweep on the engine's clock; running ones
 * stay whatever their age. Without a store, the engine's memory is swept the same way.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { pino } from "pino";
import { startServer } from "../../runtime/api/server.js";
import type { Clock } from "../../runtime/ports/clock.js";
import { ACCOUNT, errorName, ROLE_ARN, sfnAt, startDurable, storeFinished, tempDir, type Durable } from "./helpers.js";

const DAY = 24 * 3600 * 1000;
const definition = JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });
const arnOf = (name: string): string => `${ACCOUNT}:execution:kept:${name}`;

/** A clock the test moves. */
class TestClock implements Clock {
  constructor(public time: number) {}
  now(): number {
    return this.time;
  }
}

describe("retention on the durable store", () => {
  const dir = tempDir("aslan-retention-");
  const clock = new TestClock(Date.UTC(2025, 5, 1));
  let durable: Durable;

  beforeAll(async () => {
    durable = await startDurable(dir.path, { clock, retention: { retentionMs: 7 * DAY, sweepEveryMs: 20 } });
    await durable.sfn.send(new CreateStateMachineCommand({ name: "kept", definition, roleArn: ROLE_ARN }));
    const now = clock.time;
    await storeFinished(durable.store, "kept", "ancient", now - 30 * DAY);
    await storeFinished(durable.store, "kept", "last-week", now - 6 * DAY);
    await storeFinished(durable.store, "kept", "yesterday", now - DAY);
    await storeFinished(durable.store, "kept", "still-running", now - 20 * DAY, { status: "RUNNING", stopDate: undefined, output: undefined });
  });

  afterAll(async () => {
    await durable.stop();
    dir.remove();
  });

  const exists = async (name: string): Promise<boolean> => {
    try {
      await durable.sfn.send(new DescribeExecutionCommand({ executionArn: arnOf(name) }));
      return true;
    } catch (e) {
      if ((e as Error).name === "ExecutionDoesNotExist") return false;
      throw e;
    }
  };

  it("the periodic sweep removes what finished before the retention period, on the engine's clock", async () => {
    await until(async () => !(await exists("ancient")));
    expect(await exists("last-week")).toBe(true);
    clock.time += 2 * DAY;
    await until(async () => !(await exists("last-week")));
    expect(await exists("yesterday")).toBe(true);
    expect(await exists("still-running")).toBe(true);
    expect(await errorName(durable.sfn.send(new GetExecutionHistoryCommand({ executionArn: arnOf("last-week") })))).toBe("ExecutionDoesNotExist");
    const listed = await durable.sfn.send(new ListExecutionsCommand({ stateMachineArn: `${ACCOUNT}:stateMachine:kept` }));
    expect(listed.executions?.map((e) => e.name)).toEqual(["yesterday", "still-running"]);
  });

  it("sweep(time) runs retention at once and says how many it removed", async () => {
    expect(await durable.server.context.retention.sweep(clock.time + 30 * DAY)).toBe(1);
    expect(await exists("yesterday")).toBe(false);
    expect(await exists("still-running")).toBe(true);
  });
});

describe("retention in memory", () => {
  it("removes finished executions from the engine's memory", async () => {
    const server = await startServer({ port: 0, log: pino({ level: "silent" }), retention: { retentionMs: DAY } });
    const sfn = sfnAt(server.url);
    try {
      const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: "mem", definition, roleArn: ROLE_ARN }));
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn }));
      await until(async () => (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status === "SUCCEEDED");
      await server.context.retention.sweep(Date.now() + DAY / 2);
      expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe("SUCCEEDED");
      await server.context.retention.sweep(Date.now() + 2 * DAY);
      expect(await errorName(sfn.send(new DescribeExecutionCommand({ executionArn })))).toBe("ExecutionDoesNotExist");
    } finally {
      sfn.destroy();
      await server.close();
    }
  });
});

async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("condition never held");
}
