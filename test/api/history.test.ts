import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  StartExecutionCommand,
  type HistoryEvent,
} from "@aws-sdk/client-sfn";
import { errorName, ROLE_ARN, startTestApi, type TestApi } from "./helpers.js";

const definition = JSON.stringify({
  StartAt: "One",
  States: {
    One: { Type: "Pass", Result: 1, ResultPath: "$.one", Next: "Two" },
    Two: { Type: "Pass", Result: 2, ResultPath: "$.two", Next: "Three" },
    Three: { Type: "Pass", Result: 3, ResultPath: "$.three", End: true },
  },
});
const TYPES = [
  "ExecutionStarted",
  "PassStateEntered", "PassStateExited",
  "PassStateEntered", "PassStateExited",
  "PassStateEntered", "PassStateExited",
  "ExecutionSucceeded",
];

describe("GetExecutionHistory", () => {
  let api: TestApi;
  let executionArn: string;
  let all: HistoryEvent[];
  beforeAll(async () => {
    api = await startTestApi();
    const { stateMachineArn } = await api.sfn.send(new CreateStateMachineCommand({ name: "counting", definition, roleArn: ROLE_ARN }));
    ({ executionArn } = (await api.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{"from": "test"}' }))) as { executionArn: string });
    for (let i = 0; i < 500; i++) {
      if ((await api.sfn.send(new DescribeExecutionCommand({ executionArn }))).status !== "RUNNING") break;
      await new Promise((r) => setTimeout(r, 10));
    }
    all = (await api.sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events ?? [];
  });
  afterAll(() => api.close());

  it("returns the events in order, with ids, links, details and times", async () => {
    expect(all.map((e) => e.type)).toEqual(TYPES);
    expect(all.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(all[0]?.executionStartedEventDetails).toEqual({ input: '{"from":"test"}', inputDetails: { truncated: false }, roleArn: ROLE_ARN });
    expect(all[1]).toMatchObject({ previousEventId: 0, stateEnteredEventDetails: { name: "One", input: '{"from":"test"}' } });
    expect(all[2]).toMatchObject({ previousEventId: 2, stateExitedEventDetails: { name: "One", output: '{"from":"test","one":1}' } });
    expect(JSON.parse(all[7]?.executionSucceededEventDetails?.output as string)).toEqual({ from: "test", one: 1, two: 2, three: 3 });
    const d = await api.sfn.send(new DescribeExecutionCommand({ executionArn }));
    for (const e of all) {
      expect(e.timestamp).toBeInstanceOf(Date);
      expect(e.timestamp!.getTime()).toBeGreaterThanOrEqual(d.startDate!.getTime());
      expect(e.timestamp!.getTime()).toBeLessThanOrEqual(d.stopDate!.getTime());
    }
  });

  it("returns them newest first with reverseOrder", async () => {
    const { events } = await api.sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true }));
    expect(events).toEqual([...all].reverse());
  });

  it("pages with maxResults and nextToken, both ways", async () => {
    for (const reverseOrder of [false, true]) {
      const pages: HistoryEvent[][] = [];
      let nextToken: string | undefined;
      do {
        const page = await api.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 3, reverseOrder, nextToken }));
        pages.push(page.events ?? []);
        nextToken = page.nextToken;
      } while (nextToken);
      expect(pages.map((p) => p.length)).toEqual([3, 3, 2]);
      expect(pages.flat()).toEqual(reverseOrder ? [...all].reverse() : all);
    }
    const first = await api.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 8 }));
    expect(first.nextToken).toBeUndefined();
    // A token belongs to the listing it came from.
    const forward = await api.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 2 }));
    const mixed = api.sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, nextToken: forward.nextToken }));
    expect(await errorName(mixed)).toBe("InvalidToken");
    expect(await errorName(api.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1001 })))).toBe("ValidationException");
  });

  it("leaves out input and output with includeExecutionData: false", async () => {
    const { events } = await api.sfn.send(new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false }));
    expect(events?.map((e) => e.type)).toEqual(TYPES);
    expect(events?.[0]?.executionStartedEventDetails).toEqual({ inputDetails: { truncated: false }, roleArn: ROLE_ARN });
    expect(events?.[1]?.stateEnteredEventDetails).toEqual({ name: "One", inputDetails: { truncated: false } });
    expect(events?.[2]?.stateExitedEventDetails).toEqual({ name: "One", outputDetails: { truncated: false } });
    expect(events?.[7]?.executionSucceededEventDetails).toEqual({ outputDetails: { truncated: false } });
    expect(events?.map((e) => e.timestamp)).toEqual(all.map((e) => e.timestamp));
  });

  it("rejects unknown executions and malformed ARNs", async () => {
    const missing = executionArn.replace(/[^:]+$/, "missing");
    expect(await errorName(api.sfn.send(new GetExecutionHistoryCommand({ executionArn: missing })))).toBe("ExecutionDoesNotExist");
    expect(await errorName(api.sfn.send(new GetExecutionHistoryCommand({ executionArn: "arn:aws:states:us-east-1:123456789012:execution:x" })))).toBe("InvalidArn");
  });
});
