/**
 * A Distributed Map's map run once its execution has finished and left memory (it is then
 * read back from the store): ListMapRuns and DescribeMapRun answer as while it ran, and
 * after a restart too.
 */
import { afterAll, describe, expect, it } from "vitest";
import { CreateStateMachineCommand, DescribeExecutionCommand, DescribeMapRunCommand, ListMapRunsCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { ROLE_ARN, startDurable, tempDir } from "./helpers.js";

const dir = tempDir("aslan-durable-maprun-");
afterAll(() => dir.remove());

const FAN_OUT = {
  StartAt: "Each",
  States: {
    Each: {
      Type: "Map",
      ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: "Double", States: { Double: { Type: "Pass", End: true } } },
      MaxConcurrency: 2,
      End: true,
    },
  },
};

describe("map runs of executions that left memory", () => {
  it("are listed and described from the store, before and after a restart", async () => {
    let durable = await startDurable(dir.path);
    try {
      const { stateMachineArn } = await durable.sfn.send(new CreateStateMachineCommand({ name: "fan", definition: JSON.stringify(FAN_OUT), roleArn: ROLE_ARN }));
      const { executionArn } = await durable.sfn.send(new StartExecutionCommand({ stateMachineArn, input: "[1,2,3]" }));
      for (let i = 0; i < 200; i++) {
        if ((await durable.sfn.send(new DescribeExecutionCommand({ executionArn }))).status !== "RUNNING") break;
        await new Promise((r) => setTimeout(r, 25));
      }
      expect((await durable.sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe("SUCCEEDED");
      // Finished: it has left the engine's memory, with its map run.
      expect(durable.server.context.engine.getExecution(executionArn as string)).toBeUndefined();
      for (const round of ["left memory", "after a restart"]) {
        const { mapRuns = [] } = await durable.sfn.send(new ListMapRunsCommand({ executionArn }));
        expect(mapRuns.map((m) => m.executionArn), round).toEqual([executionArn]);
        const described = await durable.sfn.send(new DescribeMapRunCommand({ mapRunArn: mapRuns[0]?.mapRunArn }));
        expect([described.status, described.executionArn, described.executionCounts?.succeeded, described.executionCounts?.total], round).toEqual(["SUCCEEDED", executionArn, 3, 3]);
        await durable.stop();
        durable = await startDurable(dir.path);
      }
    } finally {
      await durable.stop();
    }
  });
});
