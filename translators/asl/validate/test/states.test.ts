import { describe, expect, it } from "vitest";
import { messages, problems, SCHEMA, single, warnings } from "./helpers.js";

const JSONATA = { QueryLanguage: "JSONata" };
const task = (fields: Record<string, unknown>) => single({ Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true, ...fields });

describe("Pass", () => {
  it("checks ResultPath and Parameters", () => {
    expect(problems(single({ Type: "Pass", Result: { a: 1 }, ResultPath: "$.r", End: true }))).toEqual([]);
    expect(problems(single({ Type: "Pass", ResultPath: "$.items[*]", End: true }))).toEqual([`${SCHEMA} /States/A/ResultPath`]);
    expect(problems(single({ Type: "Pass", Parameters: { "x.$": 1 }, End: true }))).toEqual([`${SCHEMA} /States/A/Parameters/x.$`]);
  });

  it("warns that Result is static", () => {
    expect(warnings(single({ Type: "Pass", Result: { "x.$": "$.y" }, End: true }))).toEqual(["PASS_RESULT_IS_STATIC /States/A/Result/x.$"]);
  });
});

describe("Task", () => {
  it("requires Resource, a non-empty string", () => {
    expect(problems(single({ Type: "Task", End: true }))).toEqual([`${SCHEMA} /States/A`]);
    expect(problems(task({ Resource: "" }))).toEqual([`${SCHEMA} /States/A/Resource`]);
    expect(problems(task({ Resource: { arn: "x" } }))).toEqual([`${SCHEMA} /States/A/Resource`]);
  });

  it("checks timeouts: positive integers, exclusive with their Path twins", () => {
    expect(problems(task({ TimeoutSeconds: 10, HeartbeatSeconds: 5 }))).toEqual([]);
    expect(problems(task({ TimeoutSeconds: 0 }))).toEqual([`${SCHEMA} /States/A/TimeoutSeconds`]);
    expect(problems(task({ HeartbeatSeconds: 2.5 }))).toEqual([`${SCHEMA} /States/A/HeartbeatSeconds`]);
    expect(problems(task({ TimeoutSeconds: 10, TimeoutSecondsPath: "$.t" }))).toEqual([`${SCHEMA} /States/A/TimeoutSecondsPath`]);
    expect(problems(task({ HeartbeatSecondsPath: "$.h[?(@.a)]" }))).toEqual([`${SCHEMA} /States/A/HeartbeatSecondsPath`]);
  });

  it("requires HeartbeatSeconds below TimeoutSeconds", () => {
    expect(problems(task({ TimeoutSeconds: 10, HeartbeatSeconds: 10 }))).toEqual([`${SCHEMA} /States/A/HeartbeatSeconds`]);
    expect(messages(task({ TimeoutSeconds: 10, HeartbeatSeconds: 20 }))).toEqual(["HeartbeatSeconds must be smaller than TimeoutSeconds (10), found 20."]);
  });

  it("accepts JSONata expressions for timeouts and an Arguments object", () => {
    expect(problems({ ...task({ TimeoutSeconds: "{% $t %}", Arguments: { a: "{% 1 %}" } }), ...JSONATA })).toEqual([]);
    expect(problems({ ...task({ Arguments: [1] }), ...JSONATA })).toEqual([`${SCHEMA} /States/A/Arguments`]);
    expect(problems({ ...task({ TimeoutSeconds: "10" }), ...JSONATA })).toEqual([`${SCHEMA} /States/A/TimeoutSeconds`]);
  });

  it("checks ResultSelector and Credentials", () => {
    expect(problems(task({ ResultSelector: "$.x" }))).toEqual([`${SCHEMA} /States/A/ResultSelector`]);
    expect(problems(task({ ResultSelector: { "a.$": "States.Format('{}', $.x)" }, Credentials: { "RoleArn.$": "$.role" } }))).toEqual([]);
    expect(problems(task({ Credentials: "arn:role" }))).toEqual([`${SCHEMA} /States/A/Credentials`]);
  });
});

describe("Choice", () => {
  it("requires a non-empty Choices array", () => {
    expect(problems(single({ Type: "Choice", Default: "A" }))).toEqual([`${SCHEMA} /States/A`, "MISSING_END_STATE /States"]);
    expect(problems(single({ Type: "Choice", Choices: [], Default: "A" }))).toEqual([`${SCHEMA} /States/A/Choices`, "MISSING_END_STATE /States"]);
  });

  it("checks JSONata rules: Condition and Next required", () => {
    const choice = (rule: Record<string, unknown>) =>
      ({ StartAt: "A", QueryLanguage: "JSONata", States: { A: { Type: "Choice", Choices: [rule], Default: "B" }, B: { Type: "Succeed" } } });
    expect(problems(choice({ Condition: "{% $states.input.x > 1 %}", Next: "B", Assign: { n: 1 }, Output: {} }))).toEqual([]);
    expect(problems(choice({ Condition: true, Next: "B" }))).toEqual([]);
    expect(problems(choice({ Next: "B" }))).toEqual([`${SCHEMA} /States/A/Choices/0`]);
    expect(problems(choice({ Condition: "$.x", Next: "B" }))).toEqual([`${SCHEMA} /States/A/Choices/0/Condition`]);
    expect(problems(choice({ Condition: true }))).toEqual([`${SCHEMA} /States/A/Choices/0`]);
    expect(problems(choice({ Condition: true, Next: "B", Variable: "$.x" }))).toEqual([`${SCHEMA} /States/A/Choices/0/Variable`]);
    expect(messages(choice({ Condition: true, Next: "B", StringEquals: "x" }))).toEqual([
      "Field 'StringEquals' is only supported in JSONPath states, but this state uses JSONata.",
    ]);
  });

  it("checks the variables a JSONPath rule assigns", () => {
    const rule = { Variable: "$.x", IsNull: true, Next: "B", Assign: { "1st": 1 } };
    expect(problems({ StartAt: "A", States: { A: { Type: "Choice", Choices: [rule] }, B: { Type: "Succeed" } } })).toEqual([
      `${SCHEMA} /States/A/Choices/0/Assign/1st`,
    ]);
  });
});

describe("Wait", () => {
  it("requires exactly one of Seconds, Timestamp, SecondsPath, TimestampPath", () => {
    expect(problems(single({ Type: "Wait", End: true }))).toEqual([`${SCHEMA} /States/A`]);
    expect(problems(single({ Type: "Wait", Seconds: 1, TimestampPath: "$.t", End: true }))).toEqual([`${SCHEMA} /States/A/TimestampPath`]);
  });

  it("checks Seconds and Timestamp", () => {
    expect(problems(single({ Type: "Wait", Seconds: 0, End: true }))).toEqual([]);
    expect(problems(single({ Type: "Wait", Seconds: -1, End: true }))).toEqual([`${SCHEMA} /States/A/Seconds`]);
    expect(problems(single({ Type: "Wait", Timestamp: "2016-03-14T01:59:00Z", End: true }))).toEqual([]);
    expect(problems(single({ Type: "Wait", Timestamp: "2016-03-14t01:59:00z", End: true }))).toEqual([`${SCHEMA} /States/A/Timestamp`]);
    expect(problems(single({ Type: "Wait", Timestamp: "{% $t %}", End: true }, JSONATA))).toEqual([]);
    expect(problems(single({ Type: "Wait", SecondsPath: "seconds", End: true }))).toEqual([`${SCHEMA} /States/A/SecondsPath`]);
  });
});

describe("Fail", () => {
  it("checks Error/ErrorPath and Cause/CausePath", () => {
    expect(problems(single({ Type: "Fail", Error: "E", Cause: "C" }))).toEqual([]);
    expect(problems(single({ Type: "Fail", ErrorPath: "$.e", CausePath: "States.Format('{}', $.c)" }))).toEqual([]);
    expect(problems(single({ Type: "Fail", Error: "E", ErrorPath: "$.e" }))).toEqual([`${SCHEMA} /States/A/ErrorPath`]);
    expect(problems(single({ Type: "Fail", Cause: 1 }))).toEqual([`${SCHEMA} /States/A/Cause`]);
    expect(problems(single({ Type: "Fail", CausePath: "cause" }))).toEqual([`${SCHEMA} /States/A/CausePath`]);
    expect(problems(single({ Type: "Fail", ErrorPath: "$.e" }, JSONATA))).toEqual([`${SCHEMA} /States/A/ErrorPath`]);
  });
});

describe("Parallel", () => {
  const branch = { StartAt: "B", States: { B: { Type: "Pass", End: true } } };

  it("requires non-empty Branches of sub-machines", () => {
    expect(problems(single({ Type: "Parallel", Branches: [branch], End: true }))).toEqual([]);
    expect(problems(single({ Type: "Parallel", End: true }))).toEqual([`${SCHEMA} /States/A`]);
    expect(problems(single({ Type: "Parallel", Branches: [], End: true }))).toEqual([`${SCHEMA} /States/A/Branches`]);
    expect(problems(single({ Type: "Parallel", Branches: [1], End: true }))).toEqual([`${SCHEMA} /States/A/Branches/0`]);
  });

  it("validates each branch as a machine", () => {
    const bad = { StartAt: "C", States: { C: { Type: "Pass" } }, Version: "1.0" };
    expect(problems(single({ Type: "Parallel", Branches: [branch, bad], End: true }))).toEqual([
      `${SCHEMA} /States/A/Branches/1/Version`,
      `${SCHEMA} /States/A/Branches/1/States/C`,
      "MISSING_END_STATE /States/A/Branches/1/States",
    ]);
  });
});

describe("Succeed", () => {
  it("allows only the common fields", () => {
    expect(problems(single({ Type: "Succeed", InputPath: "$.a", OutputPath: null, Comment: "ok" }))).toEqual([]);
    expect(problems(single({ Type: "Succeed", Assign: {} }))).toEqual([`${SCHEMA} /States/A/Assign`]);
  });
});
