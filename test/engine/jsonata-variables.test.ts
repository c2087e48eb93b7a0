/**
 * JSONata states (Arguments/Output/Assign, $states.*) and workflow variables, including
 * their scope in Map iterations and Parallel branches.
 * https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html
 */
import { describe, it, expect } from "vitest";
import type { Json } from "../../translators/json.js";
import { run, single, eventOf, details, lambdaArn, named } from "./helpers.js";

const JSONATA = { QueryLanguage: "JSONata" };

describe("JSONata states", () => {
  it("Pass: Output is evaluated over $states.input", async () => {
    const r = await run(single({ Type: "Pass", Output: { "total": "{% $sum($states.input.prices) %}", "n": "{% $count($states.input.prices) %}", "lit": "x" } }, JSONATA), { prices: [1, 2, 3.5] });
    expect(r.output).toEqual({ total: 6.5, n: 3, lit: "x" });
  });

  it("Pass without Output passes its input on", async () => {
    const r = await run(single({ Type: "Pass" }, JSONATA), { a: 1 });
    expect(r.output).toEqual({ a: 1 });
  });

  it("Task: Arguments are the function's input, Output shapes $states.result", async () => {
    const seen: Json[] = [];
    const r = await run(
      single({ Type: "Task", Resource: lambdaArn("f"), Arguments: { "id": "{% $states.input.order.id %}", "ctx": "{% $states.context.State.Name %}" }, Output: "{% { 'orig': $states.input.order.id, 'res': $states.result.status } %}" }, JSONATA),
      { order: { id: "o-1" } },
      { functions: { f: (input) => { seen.push(input); return { status: "PAID", noise: 1 }; } } },
    );
    expect(seen).toEqual([{ id: "o-1", ctx: "S" }]);
    expect(r.output).toEqual({ orig: "o-1", res: "PAID" });
  });

  it("Task without Output outputs the result", async () => {
    const r = await run(single({ Type: "Task", Resource: lambdaArn("f") }, JSONATA), { a: 1 }, { functions: { f: () => ({ r: 2 }) } });
    expect(r.output).toEqual({ r: 2 });
  });

  it("Assign stores variables read by later states; Assign sees $states.result", async () => {
    const r = await run({
      ...JSONATA,
      StartAt: "Get",
      States: {
        Get: { Type: "Task", Resource: lambdaArn("f"), Assign: { "price": "{% $states.result.price %}", "qty": "{% $states.input.qty %}" }, Output: {}, Next: "Total" },
        Total: { Type: "Pass", Output: { "total": "{% $price * $qty %}" }, End: true },
      },
    }, { qty: 3 }, { functions: { f: () => ({ price: 5 }) } });
    expect(r.output).toEqual({ total: 15 });
    const exited = details(eventOf(r, "TaskStateExited"));
    expect(exited["assignedVariables"]).toEqual({ price: "5", qty: "3" });
  });

  it("Assign is evaluated against the values before the state: assignments do not see each other", async () => {
    const r = await run({
      ...JSONATA,
      StartAt: "A",
      States: {
        A: { Type: "Pass", Assign: { x: 1 }, Next: "B" },
        B: { Type: "Pass", Assign: { x: 2, y: "{% $x %}" }, Next: "C" },
        C: { Type: "Pass", Output: { "x": "{% $x %}", "y": "{% $y %}" }, End: true },
      },
    });
    expect(r.output).toEqual({ x: 2, y: 1 });
  });

  it("Catch: Output and Assign see $states.errorOutput", async () => {
    const r = await run({
      ...JSONATA,
      StartAt: "T",
      States: {
        T: {
          Type: "Task",
          Resource: lambdaArn("f"),
          Catch: [{ ErrorEquals: ["States.ALL"], Assign: { "lastError": "{% $states.errorOutput.Error %}" }, Output: "{% { 'input': $states.input, 'cause': $states.errorOutput.Cause } %}", Next: "H" }],
          End: true,
        },
        H: { Type: "Pass", Output: "{% $merge([$states.input, { 'err': $lastError }]) %}", End: true },
      },
    }, { a: 1 }, { functions: { f: () => { throw named("Oops", "because"); } } });
    expect(r.output).toEqual({ input: { a: 1 }, cause: "because", err: "Oops" });
  });

  it("a JSONata evaluation error fails with States.QueryEvaluationError", async () => {
    const r = await run(single({ Type: "Pass", Output: "{% $number('not a number') + $undefinedFn() %}" }, JSONATA), {});
    expect(r.status).toBe("FAILED");
    expect(r.error).toBe("States.QueryEvaluationError");
  });

  it("Map: Items and ItemSelector with $states.context.Map.Item", async () => {
    const r = await run({
      ...JSONATA,
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          Items: "{% $states.input.list %}",
          ItemSelector: { "i": "{% $states.context.Map.Item.Index %}", "v": "{% $states.context.Map.Item.Value * 10 %}" },
          ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } },
          End: true,
        },
      },
    }, { list: [1, 2] });
    expect(r.output).toEqual([{ i: 0, v: 10 }, { i: 1, v: 20 }]);
  });

  it("a JSONata state may sit in a JSONPath machine (state-level QueryLanguage)", async () => {
    const r = await run({
      StartAt: "A",
      States: {
        A: { Type: "Pass", Parameters: { "n.$": "$.start" }, Next: "B" },
        B: { Type: "Pass", QueryLanguage: "JSONata", Output: { "m": "{% $states.input.n + 1 %}" }, End: true },
      },
    }, { start: 1 });
    expect(r.output).toEqual({ m: 2 });
  });

  it("a JSONata machine rejects a JSONPath state", async () => {
    await expect(run({ ...JSONATA, StartAt: "A", States: { A: { Type: "Pass", QueryLanguage: "JSONPath", End: true } } })).rejects.toThrow(/QueryLanguage/);
  });
});

describe("variables (JSONPath)", () => {
  it("Assign on a JSONPath state: '.$' values read the result, $name reads a variable", async () => {
    const r = await run({
      StartAt: "A",
      States: {
        A: { Type: "Pass", Result: { id: 7 }, Assign: { "saved.$": "$.id", "literal": "L" }, Next: "B" },
        B: { Type: "Pass", Parameters: { "s.$": "$saved", "l.$": "$literal", "in.$": "$" }, End: true },
      },
    }, { start: true });
    expect(r.output).toEqual({ s: 7, l: "L", in: { id: 7 } });
  });
});

describe("variable scope in Map and Parallel", () => {
  it("iterations read outer variables; their own assignments stay inside the iteration", async () => {
    const r = await run({
      StartAt: "Init",
      States: {
        Init: { Type: "Pass", Assign: { "factor": 10, "label": "outer" }, Next: "M" },
        M: {
          Type: "Map",
          MaxConcurrency: 1,
          ItemProcessor: {
            StartAt: "Mine",
            States: {
              Mine: { Type: "Pass", Assign: { "mine.$": "$" }, Next: "Use" },
              Use: { Type: "Pass", Parameters: { "item.$": "$mine", "scaled.$": "States.MathAdd($mine, $factor)", "label.$": "$label" }, End: true },
            },
          },
          Next: "After",
        },
        After: { Type: "Pass", Parameters: { "results.$": "$", "label.$": "$label", "factor.$": "$factor" }, End: true },
      },
    }, [1, 2]);
    expect(r.status).toBe("SUCCEEDED");
    expect(r.output).toEqual({
      results: [{ item: 1, scaled: 11, label: "outer" }, { item: 2, scaled: 12, label: "outer" }],
      label: "outer",
      factor: 10,
    });
  });

  it("branches read outer variables and each has its own scope", async () => {
    const r = await run({
      StartAt: "Init",
      States: {
        Init: { Type: "Pass", Assign: { "base": 100 }, Next: "P" },
        P: {
          Type: "Parallel",
          Branches: [
            { StartAt: "A1", States: { A1: { Type: "Pass", Assign: { "local": 1 }, Next: "A2" }, A2: { Type: "Pass", Parameters: { "v.$": "States.MathAdd($base, $local)" }, End: true } } },
            { StartAt: "B1", States: { B1: { Type: "Pass", Assign: { "local": 2 }, Next: "B2" }, B2: { Type: "Pass", Parameters: { "v.$": "States.MathAdd($base, $local)" }, End: true } } },
          ],
          Assign: { "sums.$": "$" },
          Next: "After",
        },
        After: { Type: "Pass", Parameters: { "sums.$": "$sums", "base.$": "$base" }, End: true },
      },
    });
    expect(r.output).toEqual({ sums: [{ v: 101 }, { v: 102 }], base: 100 });
  });

  it("JSONata: a Map's Assign after the iterations sees their results in $states.result", async () => {
    const r = await run({
      ...JSONATA,
      StartAt: "Init",
      States: {
        Init: { Type: "Pass", Assign: { "offset": 5 }, Next: "M" },
        M: {
          Type: "Map",
          ItemProcessor: { StartAt: "Add", States: { Add: { Type: "Pass", Output: "{% $states.input + $offset %}", End: true } } },
          Assign: { "sum": "{% $sum($states.result) %}" },
          Next: "After",
        },
        After: { Type: "Pass", Output: { "sum": "{% $sum %}", "offset": "{% $offset %}" }, End: true },
      },
    }, [1, 2, 3]);
    expect(r.output).toEqual({ sum: 21, offset: 5 });
  });
});
