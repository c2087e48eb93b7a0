import { describe, expect, it } from "vitest";
import type { Json, JsonObject } from "../json.js";
import { pretendExecution } from "./context-object.js";
import { checkMock } from "./mock.js";
import type { Mock, TestResult, TestRun } from "./model.js";
import { startTestState } from "./run.js";
import { locateTestedState } from "./source.js";

const services = { randomness: { random: () => 0.5, uuid: () => "00000000-0000-4000-8000-000000000000" } };
const NOW = Date.UTC(2025, 0, 15, 10, 30);

function run(state: JsonObject, input: Json, options: Partial<TestRun> & { mock?: Mock } = {}): TestResult {
  const tested = locateTestedState(JSON.stringify(state), undefined, services);
  const execution = pretendExecution({ executionArn: "arn:aws:states:us-east-1:123456789012:express:sm:ex", executionName: "ex", stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:sm", stateMachineName: "sm", roleArn: null, startTime: NOW }, input);
  const step = startTestState(tested, {
    input, variables: {}, execution, context: undefined, mock: undefined, retrierRetryCount: 0, mapIterationFailureCount: 0, mapItemReaderData: undefined, now: NOW, ...options,
  }, services);
  if (step.kind !== "done") throw new Error("expected a finished run");
  return step;
}

const task = (extra: JsonObject): JsonObject => ({ Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true, ...extra });

describe("startTestState", () => {
  it("lets a Pass state's Result win over InputPath and Parameters, as AWS records", () => {
    const r = run({ Type: "Pass", InputPath: "$.a", Parameters: { "x.$": "$.b" }, Result: { r: 1 }, ResultPath: "$.out", End: true }, { a: { b: 2 } });
    expect(r.output).toEqual({ a: { b: 2 }, out: { r: 1 } });
    expect(r.inspection).toEqual({ input: { a: { b: 2 } }, result: { r: 1 }, afterResultSelector: { r: 1 }, afterResultPath: { a: { b: 2 }, out: { r: 1 } } });
  });

  it("counts down a retrier from stateConfiguration.retrierRetryCount, with backoff and cap", () => {
    const retry = [{ ErrorEquals: ["Other"] }, { ErrorEquals: ["E"], IntervalSeconds: 3, MaxAttempts: 3, BackoffRate: 2, MaxDelaySeconds: 10 }];
    const mock = { error: "E", cause: "c" };
    const first = run(task({ Retry: retry }), {}, { mock });
    expect(first).toMatchObject({ status: "RETRIABLE", error: "E", cause: "c", inspection: { errorDetails: { retryIndex: 1, retryBackoffIntervalSeconds: 3 } } });
    expect(run(task({ Retry: retry }), {}, { mock, retrierRetryCount: 2 }).inspection.errorDetails).toEqual({ retryIndex: 1, retryBackoffIntervalSeconds: 10 });
    const spent = run(task({ Retry: retry }), {}, { mock, retrierRetryCount: 3 });
    expect(spent).toMatchObject({ status: "FAILED", inspection: { errorDetails: { retryIndex: 1 } } });
    expect(spent.output).toBeUndefined();
  });

  it("catches once the retrier is spent, and never retries a terminal error", () => {
    const state = task({ Retry: [{ ErrorEquals: ["States.ALL"], MaxAttempts: 1 }], Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.err", Next: "Handler" }] });
    const caught = run(state, { a: 1 }, { mock: { error: "E" }, retrierRetryCount: 1 });
    expect(caught).toMatchObject({ status: "CAUGHT_ERROR", nextState: "Handler", output: { a: 1, err: { Error: "E" } } });
    expect(caught.inspection.errorDetails).toEqual({ retryIndex: 0, catchIndex: 0 });
    const terminal = run(state, {}, { mock: { error: "States.Runtime", cause: "x" } });
    expect(terminal).toMatchObject({ status: "FAILED", error: "States.Runtime" });
    expect(terminal.inspection.errorDetails).toBeUndefined();
  });

  it("fails a mocked Map over its tolerated failure threshold, and only when a threshold is set", () => {
    const map = (extra: JsonObject): JsonObject => ({ Type: "Map", ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } }, End: true, ...extra });
    const mock = { result: [0, 0, 1] };
    expect(run(map({ ToleratedFailureCount: 1 }), [1, 2, 3], { mock, mapIterationFailureCount: 2 })).toMatchObject({
      status: "FAILED", error: "States.ExceedToleratedFailureThreshold", inspection: { maxConcurrency: 0, toleratedFailureCount: 1, afterItemsPath: [1, 2, 3] },
    });
    expect(run(map({}), [1, 2, 3], { mock, mapIterationFailureCount: 2 })).toMatchObject({ status: "SUCCEEDED", output: [0, 0, 1] });
  });

  it("evaluates a Map's ItemSelector per item with $$.Map.Item", () => {
    const state = { Type: "Map", ItemSelector: { "i.$": "$$.Map.Item.Index", "v.$": "$$.Map.Item.Value" }, ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } }, End: true };
    expect(run(state, ["a", "b"], { mock: { result: [] } }).inspection.afterItemSelector).toEqual([{ i: 0, v: "a" }, { i: 1, v: "b" }]);
  });

  it("reports variables: the request's and those the state assigns", () => {
    const r = run({ Type: "Pass", QueryLanguage: "JSONata", Assign: { y: "{% $x + 1 %}" }, Output: "{% $x %}", End: true }, {}, { variables: { x: 1 } });
    expect(r).toMatchObject({ status: "SUCCEEDED", output: 1, inspection: { input: {}, variables: { x: 1, y: 2 } } });
  });

  it("strips the engine's event-id prefix from a behaviour's cause", () => {
    const r = run({ Type: "Wait", SecondsPath: "$.s", Next: "N" }, { s: -1 });
    expect(r.status).toBe("FAILED");
    expect(r.cause).toBe("The SecondsPath parameter references a negative value: $.s == -1");
  });
});

describe("checkMock", () => {
  const tested = (state: JsonObject) => locateTestedState(JSON.stringify(state), undefined, services);
  it("checks a Parallel mock's shape against its branches", () => {
    const parallel = tested({ Type: "Parallel", Branches: [{ StartAt: "A", States: { A: { Type: "Pass", End: true } } }], End: true });
    expect(() => checkMock(parallel, { result: "[1, 2]" }, false)).toThrow("Mocked result must contain the same number of items as number of Parallel branches.");
    expect(checkMock(parallel, { result: "[1]" }, false)).toEqual({ result: [1] });
    expect(() => checkMock(parallel, undefined, false)).toThrow("TestState API does not support Map or Parallel states.");
  });
});
