import { describe, it, expect } from "vitest";
import type { Json } from "../json.js";
import { STATES_ERRORS } from "../errors.js";
import {
  compileJsonataValue,
  evaluateJsonataExpecting,
  isJsonataEvaluationError,
  isJsonataExpression,
  JsonataEvaluationError,
  JsonataSyntaxError,
  type JsonataBindings,
} from "./jsonata.js";

const randomness = { random: () => 0.25, uuid: () => "00000000-0000-4000-8000-000000000000" };

const bindings = (input: Json = {}, vars: Record<string, Json> = {}, extra: Partial<JsonataBindings> = {}): JsonataBindings => ({
  states: { input, context: { State: { EnteredTime: "2024-11-24T17:22:32.000Z", Name: "S" } } },
  vars,
  randomness,
  ...extra,
});

const run = (value: Json, input: Json = {}, vars: Record<string, Json> = {}): Json =>
  compileJsonataValue(value, "Output").evaluate(bindings(input, vars));

/** The error a compiled value throws, for message checks. */
function failure(value: Json, field = "Output", b: JsonataBindings = bindings()): JsonataEvaluationError {
  try {
    compileJsonataValue(value, field).evaluate(b);
  } catch (e) {
    if (isJsonataEvaluationError(e)) return e;
    throw e;
  }
  throw new Error("expected a failure");
}

function syntaxError(value: Json, field = "Output"): JsonataSyntaxError {
  try {
    compileJsonataValue(value, field);
  } catch (e) {
    if (e instanceof JsonataSyntaxError) return e;
    throw e;
  }
  throw new Error("expected a syntax error");
}

describe("isJsonataExpression", () => {
  it("needs {% at the start and %} at the end, with no spaces outside", () => {
    expect(isJsonataExpression("{% $x %}")).toBe(true);
    expect(isJsonataExpression(" {% $x %}")).toBe(false);
    expect(isJsonataExpression("{% $x %} ")).toBe(false);
    expect(isJsonataExpression("$x")).toBe(false);
    expect(isJsonataExpression("{%}")).toBe(false);
    expect(isJsonataExpression(1)).toBe(false);
  });
});

describe("templates", () => {
  it("keeps literals, including strings that look like JSONPath or intrinsics", () => {
    const value = { a: "$.x", b: "States.Format('{}', $x)", c: [1, null, true, "$$"], d: {} };
    const compiled = compileJsonataValue(value, "Output");
    expect(compiled.constant).toBe(true);
    expect(compiled.evaluate(bindings())).toEqual(value);
  });

  it("evaluates expressions at any depth of objects and arrays", () => {
    const value = { a: "{% $states.input.n + 1 %}", b: [1, "{% $v %}", { c: "{% $uppercase($v) %}" }], k: "plain" };
    const compiled = compileJsonataValue(value, "Output");
    expect(compiled.constant).toBe(false);
    expect(compiled.evaluate(bindings({ n: 1 }, { v: "x" }))).toEqual({ a: 2, b: [1, "x", { c: "X" }], k: "plain" });
  });

  it("evaluates a whole-field expression to any JSON type", () => {
    expect(run("{% $states.input %}", [1, "two", true])).toEqual([1, "two", true]);
    expect(run("{% null %}")).toBeNull();
    expect(run("{% 'a' & 'b' %}")).toBe("ab");
    expect(run("{% {'k': [1, 2]} %}")).toEqual({ k: [1, 2] });
  });

  it("returns plain JSON: no sequence flags, ordinary prototypes, no -0", () => {
    const out = run("{% $states.input.items.{'v': $} %}", { items: [1, 2] }) as Json[];
    expect(Array.isArray(out)).toBe(true);
    expect(Object.keys(out)).toEqual(["0", "1"]);
    expect(Object.getPrototypeOf(out[0])).toBe(Object.prototype);
    expect(Object.is(run("{% -0 %}"), 0)).toBe(true);
  });

  it("keeps a singleton array that is a value of the input", () => {
    expect(run("{% $states.input.a %}", { a: [5] })).toEqual([5]);
    expect(run("{% $states.input %}", [5])).toEqual([5]);
  });

  it("writes non-finite numbers as strings", () => {
    expect(run("{% 1/0 %}")).toBe("Infinity");
    expect(run({ k: "{% -1/0 %}" })).toEqual({ k: "-Infinity" });
  });

  it("reports the $states members it reads", () => {
    const compiled = compileJsonataValue({ a: "{% $states.result.x %}", b: ["{% $states.errorOutput %}"] }, "Output");
    expect([...compiled.statesMembers].sort()).toEqual(["errorOutput", "result"]);
  });
});

describe("$states and variables", () => {
  it("binds input, context, result and errorOutput when present", () => {
    const b: JsonataBindings = {
      states: { input: { i: 1 }, context: { Execution: { Id: "arn" } }, result: { r: 2 }, errorOutput: { Error: "E" } },
      vars: {},
      randomness,
    };
    const value = { i: "{% $states.input.i %}", c: "{% $states.context.Execution.Id %}", r: "{% $states.result.r %}", e: "{% $states.errorOutput.Error %}" };
    expect(compileJsonataValue(value, "Output").evaluate(b)).toEqual({ i: 1, c: "arn", r: 2, e: "E" });
  });

  it("leaves out members that are absent", () => {
    expect(run("{% $keys($states) %}")).toEqual(["input", "context"]);
  });

  it("binds each workflow variable as $name", () => {
    expect(run("{% $a & '-' & $string($b.c) %}", {}, { a: "x", b: { c: 3 } })).toBe("x-3");
  });

  it("does not let a variable named states hide $states", () => {
    expect(run("{% $states.input %}", 7, { states: "shadow" })).toBe(7);
  });

  it("compares escaped quotes as AWS does (recorded ESCAPE_SEQUENCES cases)", () => {
    expect(run("{% $states.input = '\"' %}", '"')).toBe(true);
    expect(run("{% $var = '\"' %}", {}, { var: '"' })).toBe(true);
  });
});

describe("undefined results", () => {
  it("fails a whole field that returns nothing", () => {
    const e = failure("{% $states.input.absent %}");
    expect(e.error).toBe(STATES_ERRORS.QueryEvaluationError);
    expect(e.inState).toBe(true);
    expect(e.location).toBe("Output");
    expect(e.cause).toBe("The JSONata expression '$states.input.absent' specified for the field 'Output' returned nothing (undefined).");
  });

  it("names the nested field, with / before keys and [i] for array items", () => {
    const e = failure({ Input: { pushLocation: "{% $states.input.pushLocation %}" } }, "Arguments");
    expect(e.cause).toBe(
      "The JSONata expression '$states.input.pushLocation' specified for the field 'Arguments/Input/pushLocation' returned nothing (undefined).",
    );
    expect(e.location).toBe("Arguments/Input/pushLocation");
    expect(failure({ a: [1, "{% $nothing %}"] }, "Assign").location).toBe("Assign/a[1]");
  });

  it("drops undefined members that JSONata itself builds", () => {
    expect(run("{% {'a': $nothing, 'b': 1} %}")).toEqual({ b: 1 });
    expect(run("{% [1, $nothing, 2] %}")).toEqual([1, 2]);
  });
});

describe("errors during evaluation", () => {
  it("quotes JSONata's code and message (recorded test_math_random_seeded)", () => {
    const e = failure({ FunctionResult: "{% $randomSeeded($states.input.FunctionInput.fst) %}" }, "Output", bindings({ FunctionInput: "fst" }));
    expect(e.cause).toBe(
      "The JSONata expression '$randomSeeded($states.input.FunctionInput.fst)' specified for the field 'Output/FunctionResult' threw an error during evaluation. T1006: Attempted to invoke a non-function",
    );
    expect(e.location).toBe("Output/FunctionResult");
  });

  it("reports type errors", () => {
    expect(failure("{% $x + 1 %}", "Output", bindings({}, { x: "a" })).cause).toBe(
      "The JSONata expression '$x + 1' specified for the field 'Output' threw an error during evaluation. T2001: The left side of the \"+\" operator must evaluate to a number",
    );
  });

  it("reports $error with its code", () => {
    expect(failure("{% $error('boom') %}").cause).toMatch(/threw an error during evaluation\. D3137: boom$/);
  });

  it("disables $eval (AWS: use $parse)", () => {
    expect(failure("{% $eval('1 + 1') %}").cause).toMatch(/T1006: Attempted to invoke a non-function$/);
  });

  it("rejects a function result as unsupported (recorded fail-function case)", () => {
    expect(failure("{% $fn := function($x){$x} %}", "Items").cause).toBe(
      "The JSONata expression '$fn := function($x){$x}' specified for the field 'Items' returned an unsupported result type.",
    );
    expect(failure("{% {'f': function($x){$x}} %}").cause).toMatch(/returned an unsupported result type\.$/);
    expect(failure("{% $sum %}").cause).toMatch(/returned an unsupported result type\.$/);
  });

  it("stops an endless tail recursion", () => {
    const e = failure("{% ($f := function($n){ $f($n + 1) }; $f(0)) %}");
    expect(e.cause).toMatch(/threw an error during evaluation\. Expression evaluation timeout: Check for infinite loop$/);
  }, 60_000);

  it("bounds nesting at 100 levels, where AWS does", () => {
    const ones = (n: number): string => `{% ${Array(n).fill("1").join(" + ")} %}`;
    expect(run(ones(100))).toBe(100);
    expect(failure(ones(101)).cause).toMatch(
      /threw an error during evaluation\. Stack overflow error: Check for non-terminating recursive function\. {2}Consider rewriting as tail-recursive\. Depth=101 max=100$/,
    );
    expect(run(`{% ${"(".repeat(99)}1${")".repeat(99)} %}`)).toBe(1);
    expect(() => run(`{% ${"(".repeat(100)}1${")".repeat(100)} %}`)).toThrow(/Depth=101/);
    const recurse = (n: number): string => `{% ($f := function($x){ $x <= 0 ? 0 : 1 + $f($x - 1) }; $f(${n})) %}`;
    expect(run(recurse(31))).toBe(31);
    expect(() => run(recurse(32))).toThrow(/Stack overflow error/);
    expect(() => run(recurse(1000000))).toThrow(/Stack overflow error/);
  });
});

describe("evaluateJsonataExpecting", () => {
  const items = (expr: string, b = bindings()): unknown => {
    try {
      return evaluateJsonataExpecting(compileJsonataValue(expr, "Items"), b, "array");
    } catch (e) {
      return (e as JsonataEvaluationError).cause;
    }
  };

  it("returns a value of the expected type", () => {
    expect(items("{% [1, 'two', 3] %}")).toEqual([1, "two", 3]);
    const b = bindings({ n: 3, ok: true });
    expect(evaluateJsonataExpecting(compileJsonataValue("{% $states.input.n %}", "Seconds"), b, "integer")).toBe(3);
    expect(evaluateJsonataExpecting(compileJsonataValue("{% $states.input.ok %}", "Condition"), b, "boolean")).toBe(true);
    expect(evaluateJsonataExpecting(compileJsonataValue({ a: 1 }, "Items"), b, "object")).toEqual({ a: 1 });
  });

  it("words a wrong type as AWS does (recorded map_state_items_eval_jsonata_fail cases)", () => {
    const expected = (text: string, type: string, value: string): string =>
      `The JSONata expression '${text}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '${type}' for value: ${value}`;
    expect(items("{% true %}")).toBe(expected("true", "boolean", "true"));
    expect(items("{% null %}")).toBe(expected("null", "null", "null"));
    expect(items("{% 1 %}")).toBe(expected("1", "number", "1"));
    expect(items("{% {'foo': 'bar'} %}")).toBe(expected("{'foo': 'bar'}", "object", '{"foo":"bar"}'));
    expect(items("{% 'string' %}")).toBe(expected("'string'", "string", '"string"'));
    expect(items("{% $ItemsVar %}", bindings({}, { ItemsVar: { foo: "bar" } }))).toBe(expected("$ItemsVar", "object", '{"foo":"bar"}'));
  });

  it("checks integers", () => {
    const e = (): unknown => evaluateJsonataExpecting(compileJsonataValue("{% 1.5 %}", "Seconds"), bindings(), "integer");
    expect(e).toThrow("Expected 'integer', but was 'number' for value: 1.5");
  });

  it("reports nothing before a wrong type", () => {
    expect(items("{% $nothing %}")).toBe("The JSONata expression '$nothing' specified for the field 'Items' returned nothing (undefined).");
  });
});

describe("definition errors", () => {
  it("refuses an expression that does not parse, with the parser's message", () => {
    const e = syntaxError({ v: "{% a[1,2) %}" });
    expect(e.code).toBe("INVALID_JSONATA_EXPRESSION");
    expect(e.detail).toBe('Expected "]", got ","');
    expect(e.message).toBe('INVALID_JSONATA_EXPRESSION: Expected "]", got ","');
    expect(e.field).toBe("Output/v");
    expect(e.pointer).toBe("/Output/v");
    expect(e.expression).toBe("a[1,2)");
    expect(syntaxError("{% 1 + %}").detail).toBe("Unexpected end of expression");
    expect(syntaxError("{%  %}").detail).toBe("Unexpected end of expression");
    expect(syntaxError(["x", "{% 'open %}"], "Items").pointer).toBe("/Items/1");
  });

  it("refuses a string that opens {% without closing it", () => {
    expect(syntaxError("{% $x").code).toBe("INVALID_JSONATA_EXPRESSION");
  });

  it("refuses top-level reads of the context item", () => {
    const detail = (v: string): string => syntaxError(v).detail;
    expect(syntaxError("{% phone %}").code).toBe("UNSUPPORTED_JSONATA_EXPRESSION");
    expect(detail("{% phone %}")).toBe("Reference to 'phone' at the top level is not supported.");
    expect(detail("{% $ %}")).toBe("Reference to '$' at the top level is not supported.");
    expect(detail("{% $.a %}")).toBe("Reference to '$' at the top level is not supported.");
    expect(detail("{% $$.a %}")).toBe("Reference to '$$' is not supported.");
    expect(detail("{% $count(items) %}")).toBe("Reference to 'items' at the top level is not supported.");
    expect(detail("{% {aaa: 1} %}")).toBe("Reference to 'aaa' at the top level is not supported.");
    expect(detail("{% $map($states.input.a, function($x){ b }) %}")).toBe("Reference to 'b' at the top level is not supported.");
    expect(detail("{% $x ? a : 1 %}")).toBe("Reference to 'a' at the top level is not supported.");
  });

  it("accepts names past the first step of a path, in predicates and groupings", () => {
    for (const ok of ["$states.input.phone", "$states.input.items[value > 3].name", "$v.a.b", "$states.input{a: b}", "$states.input^(b)", "{'k': $states.input.k}"]) {
      expect(() => compileJsonataValue(`{% ${ok} %}`, "Output")).not.toThrow();
    }
  });

  it("refuses assigning the reserved $states", () => {
    expect(syntaxError("{% ($states := 1; $states) %}").code).toBe("UNSUPPORTED_JSONATA_EXPRESSION");
    expect(syntaxError("{% $map([1], function($states){ 1 }) %}").code).toBe("UNSUPPORTED_JSONATA_EXPRESSION");
  });
});

describe("time", () => {
  it("$now and $millis use the injected time, never the system clock", () => {
    const b = bindings({}, {}, { now: Date.UTC(2030, 0, 2, 3, 4, 5, 6) });
    const compiled = compileJsonataValue({ now: "{% $now() %}", ms: "{% $millis() %}", fmt: "{% $now('[Y0001]-[M01]-[D01]') %}" }, "Output");
    expect(compiled.evaluate(b)).toEqual({ now: "2030-01-02T03:04:05.006Z", ms: Date.UTC(2030, 0, 2, 3, 4, 5, 6), fmt: "2030-01-02" });
  });

  it("defaults to when the state was entered", () => {
    expect(run("{% $now() %}")).toBe("2024-11-24T17:22:32.000Z");
  });
});

describe("the engine's data", () => {
  it("is never written to, even by a path ending in []", () => {
    const input = { arr: [1], nested: { a: [2] } };
    const vars: Record<string, Json> = { v: [3] };
    const value = { a: "{% $states.input.arr[] %}", b: "{% $count($states.input.nested.a[]) %}", c: "{% $v[] %}", d: "{% $states.input ~> | nested | {'z': 1} | %}" };
    const out = compileJsonataValue(value, "Output").evaluate(bindings(input, vars));
    expect(out).toEqual({ a: [1], b: 1, c: [3], d: { arr: [1], nested: { a: [2], z: 1 } } });
    expect(Object.keys(input.arr)).toEqual(["0"]);
    expect(Object.keys(input.nested.a)).toEqual(["0"]);
    expect(Object.keys(vars["v"] as Json[])).toEqual(["0"]);
    expect(input).toEqual({ arr: [1], nested: { a: [2] } });
  });
});
