import { describe, expect, it } from "vitest";
import { machine, messages, problems, SCHEMA, single } from "./helpers.js";

const end = { Type: "Succeed" };

describe("Next and End", () => {
  it("requires exactly one of Next and End", () => {
    expect(problems(single({ Type: "Pass" }))).toEqual([`${SCHEMA} /States/A`, "MISSING_END_STATE /States"]);
    expect(problems(machine({ A: { Type: "Pass", Next: "B", End: true }, B: end }))).toEqual([`${SCHEMA} /States/A/End`]);
    expect(messages(single({ Type: "Wait", Seconds: 1 }))[0]).toBe('A Wait state must have either Next (a state name) or "End": true, found neither.');
  });

  it("checks the types of Next and End", () => {
    expect(problems(machine({ A: { Type: "Pass", Next: 1 }, B: end }))).toContain(`${SCHEMA} /States/A/Next`);
    expect(problems(single({ Type: "Pass", End: "true" }))).toEqual([`${SCHEMA} /States/A/End`, `${SCHEMA} /States/A`, "MISSING_END_STATE /States"]);
  });

  it("forbids Next and End on Choice, Succeed and Fail", () => {
    const choice = { Type: "Choice", Choices: [{ Variable: "$.x", IsNull: true, Next: "B" }], Next: "B", End: true };
    expect(problems(machine({ A: choice, B: end }))).toEqual([`${SCHEMA} /States/A/Next`, `${SCHEMA} /States/A/End`]);
    expect(problems(machine({ A: { Type: "Succeed", End: true } }))).toEqual([`${SCHEMA} /States/A/End`]);
  });
});

describe("transition targets", () => {
  it("reports a Next that names no state", () => {
    expect(problems(machine({ A: { Type: "Pass", Next: "Nope" }, B: end }))).toEqual([
      "MISSING_TRANSITION_TARGET /States/A/Next",
      "MISSING_TRANSITION_TARGET /States/B",
    ]);
    expect(messages(machine({ A: { Type: "Pass", Next: "Nope" }, B: { Type: "Pass", End: true } }))[0]).toBe(
      "Missing 'Next' target: 'Nope' (no state has that name).",
    );
  });

  it("reports Default and Catch targets", () => {
    const choice = { Type: "Choice", Choices: [{ Variable: "$.x", IsNull: true, Next: "B" }], Default: "Nope" };
    expect(problems(machine({ A: choice, B: end }))).toEqual(["MISSING_TRANSITION_TARGET /States/A/Default"]);
    const task = { Type: "Task", Resource: "arn:x", Catch: [{ ErrorEquals: ["States.ALL"], Next: "Nope" }], End: true };
    expect(problems(single(task))).toEqual(["MISSING_TRANSITION_TARGET /States/A/Catch/0/Next"]);
  });

  it("reports a JSONPath Choice rule's target", () => {
    const choice = { Type: "Choice", Choices: [{ Variable: "$.x", IsNull: true, Next: "Nope" }], Default: "B" };
    expect(problems(machine({ A: choice, B: end }))).toEqual(["MISSING_TRANSITION_TARGET /States/A/Choices/0/Next"]);
  });

  it("cannot leave a Parallel branch", () => {
    const branch = { StartAt: "In", States: { In: { Type: "Pass", Next: "Out" } } };
    const def = machine({ P: { Type: "Parallel", Branches: [branch], Next: "Out" }, Out: end });
    expect(problems(def)).toEqual(["MISSING_TRANSITION_TARGET /States/P/Branches/0/States/In/Next", "MISSING_END_STATE /States/P/Branches/0/States"]);
    expect(messages(def)[0]).toContain("that state is defined at /States/Out, in another scope");
  });

  it("cannot enter a Map processor", () => {
    const processor = { StartAt: "In", States: { In: { Type: "Pass", End: true } } };
    const def = machine({ M: { Type: "Map", ItemProcessor: processor, Next: "In" } });
    expect(problems(def)).toEqual(["MISSING_TRANSITION_TARGET /States/M/Next", "MISSING_END_STATE /States"]);
  });

  it("requires a branch's StartAt in its own scope", () => {
    const branch = { StartAt: "Out", States: { In: { Type: "Pass", End: true } } };
    const def = machine({ P: { Type: "Parallel", Branches: [branch], Next: "Out" }, Out: end });
    expect(problems(def)).toEqual(["MISSING_TRANSITION_TARGET /States/P/Branches/0/StartAt"]);
  });
});

describe("reachability and terminal states", () => {
  it("reports unreachable states", () => {
    const def = machine({ A: { Type: "Pass", End: true }, B: { Type: "Pass", Next: "C" }, C: end });
    expect(problems(def)).toEqual(["MISSING_TRANSITION_TARGET /States/B", "MISSING_TRANSITION_TARGET /States/C"]);
    expect(messages(def)[0]).toBe("State 'B' is not reachable from StartAt 'A'.");
  });

  it("follows Choice rules, Default and Catch", () => {
    const def = machine({
      A: { Type: "Choice", Choices: [{ Variable: "$.x", IsNull: true, Next: "T" }], Default: "D" },
      T: { Type: "Task", Resource: "arn:x", Catch: [{ ErrorEquals: ["States.ALL"], Next: "F" }], End: true },
      D: end,
      F: { Type: "Fail" },
    });
    expect(problems(def)).toEqual([]);
  });

  it("reports a scope without a terminal state", () => {
    const def = machine({ A: { Type: "Pass", Next: "B" }, B: { Type: "Wait", Seconds: 1, Next: "A" } });
    expect(problems(def)).toEqual(["MISSING_END_STATE /States"]);
  });
});
