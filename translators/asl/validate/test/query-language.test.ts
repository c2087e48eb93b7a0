import { describe, expect, it } from "vitest";
import { machine, messages, problems, SCHEMA, single } from "./helpers.js";

const JSONATA = { QueryLanguage: "JSONata" };

describe("JSONPath and JSONata fields", () => {
  it("reports JSONata fields in a JSONPath state", () => {
    const task = { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Arguments: {}, Output: {}, End: true };
    expect(problems(single(task))).toEqual([`${SCHEMA} /States/A/Arguments`, `${SCHEMA} /States/A/Output`]);
    expect(messages(single(task))[0]).toBe("Field 'Arguments' is only supported in JSONata states, but this state uses JSONPath.");
  });

  it("reports JSONPath fields in a JSONata state", () => {
    const pass = { Type: "Pass", InputPath: "$", Parameters: {}, Result: 1, ResultPath: "$.r", OutputPath: "$", End: true };
    expect(problems(single(pass, JSONATA))).toEqual([
      `${SCHEMA} /States/A/InputPath`,
      `${SCHEMA} /States/A/Parameters`,
      `${SCHEMA} /States/A/Result`,
      `${SCHEMA} /States/A/ResultPath`,
      `${SCHEMA} /States/A/OutputPath`,
    ]);
    expect(messages(single({ Type: "Wait", SecondsPath: "$.s", End: true }, JSONATA))).toContain(
      "Field 'SecondsPath' is only supported in JSONPath states, but this state uses JSONata.",
    );
  });

  it("lets a state of a JSONPath machine choose JSONata", () => {
    const pass = { Type: "Pass", QueryLanguage: "JSONata", Output: "{% $states.input %}", End: true };
    expect(problems(single(pass))).toEqual([]);
    expect(problems(single({ ...pass, Parameters: {} }))).toEqual([`${SCHEMA} /States/A/Parameters`]);
  });

  it("forbids a JSONPath state in a JSONata machine", () => {
    const pass = { Type: "Pass", QueryLanguage: "JSONPath", End: true };
    expect(problems(single(pass, JSONATA))).toEqual([`${SCHEMA} /States/A/QueryLanguage`]);
  });

  it("reports an invalid state QueryLanguage", () => {
    expect(problems(single({ Type: "Pass", QueryLanguage: "jsonata", End: true }))).toEqual([`${SCHEMA} /States/A/QueryLanguage`]);
  });

  it("lets nested states inherit the top-level language, not the enclosing state's", () => {
    const inner = { StartAt: "B", States: { B: { Type: "Pass", Parameters: { "x.$": "$.y" }, End: true } } };
    const map = { Type: "Map", QueryLanguage: "JSONata", Items: [1], ItemProcessor: inner, End: true };
    expect(problems(single(map))).toEqual([]);
    const jsonataInner = { StartAt: "B", States: { B: { Type: "Pass", Output: 1, End: true } } };
    expect(problems(single({ ...map, ItemProcessor: jsonataInner }))).toEqual([`${SCHEMA} /States/A/ItemProcessor/States/B/Output`]);
    expect(problems(single({ Type: "Map", ItemProcessor: jsonataInner, End: true }, JSONATA))).toEqual([]);
  });

  it("reports unknown fields by state type", () => {
    expect(messages(single({ Type: "Succeed", Next: "A" }))).toEqual(["Field 'Next' is not supported by Succeed states."]);
    expect(problems(machine({ A: { Type: "Fail", End: true, InputPath: "$" } }))).toEqual([`${SCHEMA} /States/A/End`, `${SCHEMA} /States/A/InputPath`]);
  });
});
