/**
 * Pass state data flow, as a user sees it through runDefinition.
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-pass.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html
 */
import { describe, it, expect } from "vitest";
import { run, single, eventOf, details } from "./helpers.js";

describe("Pass", () => {
  it("passes its input through unchanged when it has no fields", async () => {
    const r = await run(single({ Type: "Pass" }), { a: 1, b: [1, 2] });
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toEqual({ a: 1, b: [1, 2] });
  });

  it("Result replaces the output", async () => {
    const r = await run(single({ Type: "Pass", Result: { x: "fixed" } }), { a: 1 });
    expect(r.output).toEqual({ x: "fixed" });
  });

  it("Result wins over Parameters when a Pass state has both (as AWS's TestState records)", async () => {
    const r = await run(single({ Type: "Pass", Parameters: { "p.$": "$.a" }, Result: { x: "fixed" } }), { a: 1 });
    expect(r.output).toEqual({ x: "fixed" });
  });

  it("Result is not a template: '.$' keys in Result are kept as they are", async () => {
    const r = await run(single({ Type: "Pass", Result: { "v.$": "$.a" } }), { a: 1 });
    expect(r.output).toEqual({ "v.$": "$.a" });
  });

  it("Result with ResultPath places the result into the input", async () => {
    const r = await run(single({ Type: "Pass", Result: 42, ResultPath: "$.answer" }), { a: 1 });
    expect(r.output).toEqual({ a: 1, answer: 42 });
  });

  it("a nested ResultPath creates the missing objects and keeps siblings", async () => {
    const r = await run(single({ Type: "Pass", Result: "deep", ResultPath: "$.a.b.c" }), { a: { keep: true }, z: 0 });
    expect(r.output).toEqual({ a: { keep: true, b: { c: "deep" } }, z: 0 });
  });

  it("a ResultPath overwrites an existing field", async () => {
    const r = await run(single({ Type: "Pass", Result: "new", ResultPath: "$.a" }), { a: "old", b: 2 });
    expect(r.output).toEqual({ a: "new", b: 2 });
  });

  it("ResultPath null discards the result and outputs the input", async () => {
    const r = await run(single({ Type: "Pass", Result: { lost: true }, ResultPath: null }), { kept: 1 });
    expect(r.output).toEqual({ kept: 1 });
  });

  it("ResultPath '$' (explicit) replaces the whole input", async () => {
    const r = await run(single({ Type: "Pass", Result: [1], ResultPath: "$" }), { a: 1 });
    expect(r.output).toEqual([1]);
  });

  it("ResultPath into a non-object input fails with States.ResultPathMatchFailure", async () => {
    const r = await run(single({ Type: "Pass", Result: 1, ResultPath: "$.a.b" }), { a: "text" });
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("States.ResultPathMatchFailure");
  });

  it("Parameters builds the result from a template with paths and the context object", async () => {
    const r = await run(
      single({ Type: "Pass", Parameters: { "name.$": "$.user.name", fixed: "f", "state.$": "$$.State.Name", nested: { "first.$": "$.list[0]" } } }),
      { user: { name: "ann" }, list: [7, 8] },
    );
    expect(r.output).toEqual({ name: "ann", fixed: "f", state: "S", nested: { first: 7 } });
  });

  it("Parameters applies to the InputPath-filtered input", async () => {
    const r = await run(single({ Type: "Pass", InputPath: "$.inner", Parameters: { "v.$": "$.v" } }), { inner: { v: 5 }, v: 0 });
    expect(r.output).toEqual({ v: 5 });
  });

  it("InputPath selects the effective input", async () => {
    const r = await run(single({ Type: "Pass", InputPath: "$.a" }), { a: { b: 1 }, c: 2 });
    expect(r.output).toEqual({ b: 1 });
  });

  it("InputPath null gives the state an empty object", async () => {
    const r = await run(single({ Type: "Pass", InputPath: null }), { a: 1 });
    expect(r.output).toEqual({});
  });

  it("InputPath null with a ResultPath still merges into the raw input", async () => {
    // ResultPath always writes into the state's raw input, not the InputPath-filtered one.
    const r = await run(single({ Type: "Pass", InputPath: null, ResultPath: "$.r" }), { a: 1 });
    expect(r.output).toEqual({ a: 1, r: {} });
  });

  it("OutputPath selects part of the output", async () => {
    const r = await run(single({ Type: "Pass", Result: { keep: { x: 1 }, drop: 2 }, ResultPath: "$.res", OutputPath: "$.res.keep" }), { a: 1 });
    expect(r.output).toEqual({ x: 1 });
  });

  it("OutputPath null outputs an empty object", async () => {
    const r = await run(single({ Type: "Pass", OutputPath: null }), { a: 1 });
    expect(r.output).toEqual({});
  });

  it("an InputPath that matches nothing fails with States.Runtime", async () => {
    const r = await run(single({ Type: "Pass", InputPath: "$.missing" }), { a: 1 });
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("States.Runtime");
    expect(r.cause).toContain("$['missing']");
  });

  it("the StateExited event records the state's output as JSON text", async () => {
    const r = await run(single({ Type: "Pass", Result: { x: 1 }, ResultPath: "$.r" }), { a: 1 });
    const exited = details(eventOf(r, "PassStateExited"));
    expect(exited["name"]).toBe("S");
    expect(JSON.parse(String(exited["output"]))).toEqual({ a: 1, r: { x: 1 } });
    expect(JSON.parse(String(details(eventOf(r, "PassStateEntered"))["input"]))).toEqual({ a: 1 });
  });

  it("chains states through Next, each one's output the next one's input", async () => {
    const r = await run({
      StartAt: "One",
      States: {
        One: { Type: "Pass", Result: 1, ResultPath: "$.one", Next: "Two" },
        Two: { Type: "Pass", Parameters: { "sum.$": "States.MathAdd($.one, 10)" }, End: true },
      },
    });
    expect(r.output).toEqual({ sum: 11 });
  });
});
