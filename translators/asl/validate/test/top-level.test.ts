import { describe, expect, it } from "vitest";
import { validateDefinition } from "../index.js";
import { machine, messages, problems, SCHEMA, single } from "./helpers.js";

const pass = { Type: "Pass", End: true };

describe("top level", () => {
  it("accepts a minimal definition", () => {
    expect(validateDefinition(machine({ A: pass }))).toEqual([]);
  });

  it("reports an empty definition", () => {
    expect(problems(null)).toEqual(["MISSING_DESCRIPTION "]);
    expect(problems(undefined)).toEqual(["MISSING_DESCRIPTION "]);
    expect(problems("  ")).toEqual(["MISSING_DESCRIPTION "]);
  });

  it("reports a definition that is not an object", () => {
    expect(problems([1])).toEqual([`${SCHEMA} `]);
    expect(messages(42)).toEqual(["The state machine definition must be a JSON object with StartAt and States, found 42."]);
  });

  it("parses definition text first", () => {
    expect(validateDefinition(JSON.stringify(machine({ A: pass })))).toEqual([]);
    expect(problems('{"StartAt": "A",')).toEqual(["INVALID_JSON_DESCRIPTION "]);
  });

  it("requires StartAt and States", () => {
    expect(problems({ States: { A: pass } })).toEqual([`${SCHEMA} `]);
    expect(problems({ StartAt: "A" })).toEqual([`${SCHEMA} `]);
    expect(messages({ StartAt: "A" })).toEqual(["The state machine definition must have States (an object of named states), found none."]);
  });

  it("requires States to be a non-empty object", () => {
    expect(problems({ StartAt: "A", States: {} })).toEqual([`${SCHEMA} /States`]);
    expect(problems({ StartAt: "A", States: [] })).toEqual([`${SCHEMA} /States`]);
  });

  it("requires StartAt to name a state", () => {
    expect(problems({ StartAt: "B", States: { A: pass } })).toEqual(["MISSING_TRANSITION_TARGET /StartAt"]);
    expect(problems({ StartAt: 1, States: { A: pass } })).toEqual([`${SCHEMA} /StartAt`]);
    expect(problems({ StartAt: "", States: { A: pass } })).toEqual([`${SCHEMA} /StartAt`]);
  });

  it("checks Comment, Version and TimeoutSeconds", () => {
    expect(problems(single(pass, { Comment: 1 }))).toEqual([`${SCHEMA} /Comment`]);
    expect(problems(single(pass, { Version: 1.0 }))).toEqual([`${SCHEMA} /Version`]);
    expect(problems(single(pass, { TimeoutSeconds: -1 }))).toEqual([`${SCHEMA} /TimeoutSeconds`]);
    expect(problems(single(pass, { TimeoutSeconds: 1.5 }))).toEqual([`${SCHEMA} /TimeoutSeconds`]);
    expect(messages(single(pass, { TimeoutSeconds: "60" }))).toEqual(['TimeoutSeconds must be an integer between 0 and 99999999, found "60".']);
    expect(problems(single(pass, { Comment: "c", Version: "1.0", TimeoutSeconds: 60 }))).toEqual([]);
  });

  it("checks QueryLanguage", () => {
    expect(problems(single(pass, { QueryLanguage: "XPath" }))).toEqual([`${SCHEMA} /QueryLanguage`]);
    expect(problems(single(pass, { QueryLanguage: "JSONata" }))).toEqual([]);
  });

  it("reports unknown top-level fields", () => {
    expect(problems(single(pass, { Foo: 1, ProcessorConfig: {} }))).toEqual([`${SCHEMA} /Foo`, `${SCHEMA} /ProcessorConfig`]);
    expect(messages(single(pass, { Foo: 1 }))).toEqual(["Field 'Foo' is not supported at the top level of a state machine."]);
  });
});

describe("state names", () => {
  it("allows up to 80 characters", () => {
    const name = "n".repeat(80);
    expect(problems(machine({ [name]: pass }))).toEqual([]);
    expect(problems(machine({ [name + "x"]: pass }))).toEqual([`INVALID_STATE_NAME /States/${name}x`]);
  });

  it("must be unique across scopes", () => {
    const branch = { StartAt: "A", States: { A: pass } };
    const def = machine({ P: { Type: "Parallel", Branches: [branch], Next: "A" }, A: pass });
    expect(problems(def)).toEqual(["DUPLICATE_STATE_NAME /States/A"]);
    expect(messages(def)[0]).toContain("already used at /States/P/Branches/0/States/A");
  });

  it("escapes names in pointers", () => {
    expect(problems(machine({ "a/b~c": { Type: "Pass", Next: "x" } }))).toEqual(["MISSING_TRANSITION_TARGET /States/a~1b~0c/Next", "MISSING_END_STATE /States"]);
  });

  it("reports a state that is not an object or lacks a valid Type", () => {
    expect(problems(machine({ A: 1 }))).toEqual([`${SCHEMA} /States/A`]);
    expect(problems(machine({ A: { End: true } }))).toEqual([`${SCHEMA} /States/A`]);
    expect(problems(machine({ A: { Type: "Sleep", End: true } }))).toEqual([`${SCHEMA} /States/A/Type`]);
  });
});
