import { describe, expect, it } from "vitest";
import { messages, problems, SCHEMA, single, warnings } from "./helpers.js";

const task = (fields: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  single({ Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Next: "Done", ...fields }, extra);
const retry = (...retriers: unknown[]) => task({ Retry: retriers });
const catchers = (...list: unknown[]) => task({ Catch: list });

describe("Retry", () => {
  it("accepts a full retrier", () => {
    const r = { ErrorEquals: ["States.Timeout"], IntervalSeconds: 3, MaxAttempts: 0, BackoffRate: 1.5, MaxDelaySeconds: 60, JitterStrategy: "FULL", Comment: "c" };
    expect(problems(retry(r, { ErrorEquals: ["States.ALL"] }))).toEqual([]);
  });

  it("checks each field's type and range", () => {
    const at = "/States/A/Retry/0";
    expect(problems(retry({ ErrorEquals: ["E"], IntervalSeconds: 0 }))).toEqual([`${SCHEMA} ${at}/IntervalSeconds`]);
    expect(problems(retry({ ErrorEquals: ["E"], MaxAttempts: -1 }))).toEqual([`${SCHEMA} ${at}/MaxAttempts`]);
    expect(problems(retry({ ErrorEquals: ["E"], BackoffRate: 0.5 }))).toEqual([`${SCHEMA} ${at}/BackoffRate`]);
    expect(messages(retry({ ErrorEquals: ["E"], BackoffRate: 0.5 }))).toEqual(["BackoffRate must be a number >= 1, found 0.5."]);
    expect(problems(retry({ ErrorEquals: ["E"], MaxDelaySeconds: 0 }))).toEqual([`${SCHEMA} ${at}/MaxDelaySeconds`]);
    expect(problems(retry({ ErrorEquals: ["E"], JitterStrategy: "HALF" }))).toEqual([`${SCHEMA} ${at}/JitterStrategy`]);
    expect(problems(retry({ ErrorEquals: ["E"], Next: "Done" }))).toEqual([`${SCHEMA} ${at}/Next`]);
    expect(problems(task({ Retry: {} }))).toEqual([`${SCHEMA} /States/A/Retry`]);
  });

  it("requires a non-empty ErrorEquals of strings", () => {
    expect(problems(retry({ MaxAttempts: 1 }))).toEqual([`${SCHEMA} /States/A/Retry/0`]);
    expect(problems(retry({ ErrorEquals: [] }))).toEqual([`${SCHEMA} /States/A/Retry/0/ErrorEquals`]);
    expect(problems(retry({ ErrorEquals: ["E", 1] }))).toEqual([`${SCHEMA} /States/A/Retry/0/ErrorEquals/1`]);
  });

  it("requires States.ALL alone and in the last retrier", () => {
    expect(problems(retry({ ErrorEquals: ["States.ALL", "E"] }))).toEqual([`${SCHEMA} /States/A/Retry/0/ErrorEquals`]);
    expect(problems(retry({ ErrorEquals: ["States.ALL"] }, { ErrorEquals: ["E"] }))).toEqual([`${SCHEMA} /States/A/Retry/0/ErrorEquals`]);
    expect(messages(retry({ ErrorEquals: ["States.ALL"] }, { ErrorEquals: ["E"] }))).toEqual([
      "A Retrier whose ErrorEquals holds States.ALL must be the last one in Retry.",
    ]);
  });
});

describe("Catch", () => {
  it("requires ErrorEquals and Next", () => {
    expect(problems(catchers({ ErrorEquals: ["States.ALL"], Next: "Done", ResultPath: "$.error" }))).toEqual([]);
    expect(problems(catchers({ ErrorEquals: ["E"] }))).toEqual([`${SCHEMA} /States/A/Catch/0`]);
    expect(problems(catchers({ Next: "Done" }))).toEqual([`${SCHEMA} /States/A/Catch/0`]);
  });

  it("requires States.ALL in the last catcher", () => {
    expect(problems(catchers({ ErrorEquals: ["States.ALL"], Next: "Done" }, { ErrorEquals: ["E"], Next: "Done" }))).toEqual([
      `${SCHEMA} /States/A/Catch/0/ErrorEquals`,
    ]);
  });

  it("checks ResultPath, Output and Assign by query language", () => {
    expect(problems(catchers({ ErrorEquals: ["E"], Next: "Done", ResultPath: "$$.x" }))).toEqual([`${SCHEMA} /States/A/Catch/0/ResultPath`]);
    expect(problems(catchers({ ErrorEquals: ["E"], Next: "Done", Output: {} }))).toEqual([`${SCHEMA} /States/A/Catch/0/Output`]);
    const jsonata = task({ Catch: [{ ErrorEquals: ["E"], Next: "Done", Output: "{% $states.errorOutput %}", Assign: { e: 1 } }] }, { QueryLanguage: "JSONata" });
    expect(problems(jsonata)).toEqual([]);
  });
});

describe("Assign", () => {
  const assign = (value: unknown, extra: Record<string, unknown> = {}) => single({ Type: "Pass", Assign: value, End: true }, extra);

  it("accepts variables, with .$ keys in JSONPath states", () => {
    expect(problems(assign({ count: 1, _tmp: null, "name.$": "$.name", obj: { "x.$": "$$.Execution.Id" }, café: "x" }))).toEqual([]);
  });

  it("must be an object", () => {
    expect(problems(assign([1]))).toEqual([`${SCHEMA} /States/A/Assign`]);
  });

  it("checks variable names", () => {
    expect(problems(assign({ "1st": 1 }))).toEqual([`${SCHEMA} /States/A/Assign/1st`]);
    expect(problems(assign({ "a-b": 1 }))).toEqual([`${SCHEMA} /States/A/Assign/a-b`]);
    expect(problems(assign({ ["v".repeat(81)]: 1 }))).toEqual([`${SCHEMA} /States/A/Assign/${"v".repeat(81)}`]);
    expect(messages(assign({ states: 1 }))).toEqual(["Variable name 'states' is reserved ($states is set by Step Functions)."]);
    expect(problems(assign({ "x.$": "$.x" }, { QueryLanguage: "JSONata" }))).toEqual([`${SCHEMA} /States/A/Assign/x.$`]);
  });

  it("reports a variable set twice", () => {
    expect(problems(assign({ x: 1, "x.$": "$.x" }))).toEqual([`${SCHEMA} /States/A/Assign/x.$`]);
  });

  it("checks .$ values", () => {
    expect(problems(assign({ "x.$": 1 }))).toEqual([`${SCHEMA} /States/A/Assign/x.$`]);
    expect(problems(assign({ "x.$": "name" }))).toEqual([`${SCHEMA} /States/A/Assign/x.$`]);
    expect(problems(assign({ "x.$": "States.Format('{}', $.a)" }))).toEqual([]);
  });
});

describe("paths", () => {
  const pass = (fields: Record<string, unknown>) => single({ Type: "Pass", End: true, ...fields });

  it("accepts input, context and variable paths and null for InputPath/OutputPath", () => {
    expect(problems(pass({ InputPath: "$$.Execution.Input", OutputPath: "$result.items[0]" }))).toEqual([]);
    expect(problems(pass({ InputPath: null, OutputPath: null, ResultPath: null }))).toEqual([]);
    expect(problems(pass({ InputPath: "$.items[?(@.price < 10)]" }))).toEqual([]);
  });

  it("requires paths to start with $", () => {
    expect(problems(pass({ InputPath: "input" }))).toEqual([`${SCHEMA} /States/A/InputPath`]);
    expect(messages(pass({ OutputPath: 5 }))).toEqual(["OutputPath must be a JSONPath (starting with '$') or null, found 5."]);
  });

  it("requires ResultPath to be a reference path into the input", () => {
    expect(problems(pass({ ResultPath: "$.a.b" }))).toEqual([]);
    expect(problems(pass({ ResultPath: "$.a[*]" }))).toEqual([`${SCHEMA} /States/A/ResultPath`]);
    expect(problems(pass({ ResultPath: "$var.a" }))).toEqual([`${SCHEMA} /States/A/ResultPath`]);
    expect(messages(pass({ ResultPath: "$$.a" }))).toEqual(["ResultPath must be a reference path into the state input ('$...'), found \"$$.a\"."]);
  });
});

describe("payload templates", () => {
  const params = (value: unknown) => single({ Type: "Pass", Parameters: value, End: true });

  it("checks .$ keys at any depth, in objects and arrays", () => {
    expect(problems(params({ a: [{ "b.$": "$.b" }], "c.$": "$$.State.Name", "d.$": "$var" }))).toEqual([]);
    expect(problems(params({ a: [{ "b.$": 1 }] }))).toEqual([`${SCHEMA} /States/A/Parameters/a/0/b.$`]);
    expect(problems(params({ a: { "b.$": "b" } }))).toEqual([`${SCHEMA} /States/A/Parameters/a/b.$`]);
  });

  it("warns when a value looks dynamic but its key lacks .$", () => {
    expect(warnings(params({ a: "$.b", c: "States.UUID()", d: "$notAPath" }))).toEqual(["NO_DOLLAR /States/A/Parameters/a", "NO_DOLLAR /States/A/Parameters/c"]);
  });
});
