import { describe, expect, it } from "vitest";
import { StatesError } from "../../errors.js";
import type { Json, JsonObject } from "../../json.js";
import type { EvalScope } from "../scope.js";
import { compileIntrinsic, IntrinsicSyntaxError, isIntrinsicCall } from "./index.js";

const randomness = { random: () => 0.5, uuid: () => "0f8fad5b-d9cb-469f-a165-70867728950e" };
const context: JsonObject = { Execution: { Id: "arn:exec:1", Name: "run-1" }, StateMachine: { Name: "my-machine" } };
const scope = (input: Json = null, vars: Record<string, Json> = {}): EvalScope => ({ input, context, vars, randomness });
const run = (text: string, input: Json = null, vars: Record<string, Json> = {}): Json =>
  compileIntrinsic(text).evaluate(scope(input, vars));

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected an error");
}
const syntaxError = (text: string): IntrinsicSyntaxError => {
  const e = thrown(() => compileIntrinsic(text));
  expect(e).toBeInstanceOf(IntrinsicSyntaxError);
  return e as IntrinsicSyntaxError;
};

describe("isIntrinsicCall", () => {
  it("recognises calls and leaves paths alone", () => {
    expect(isIntrinsicCall("States.Array()")).toBe(true);
    expect(isIntrinsicCall("$.a")).toBe(false);
    expect(isIntrinsicCall("$$.Execution.Id")).toBe(false);
  });
});

describe("literal arguments", () => {
  it("reads strings, numbers, null and booleans", () => {
    expect(run("States.Array('a', 1, -2.5, 1e3, 0, null, true, false)")).toEqual(["a", 1, -2.5, 1000, 0, null, true, false]);
  });

  it("reads -0 as 0", () => {
    const [zero] = run("States.Array(-0)") as number[];
    expect(Object.is(zero, 0)).toBe(true);
  });

  it("unescapes \\' \\{ \\} and \\\\ in string literals", () => {
    expect(run("States.Array('it\\'s', '\\{\\}', 'a\\\\b')")).toEqual(["it's", "{}", "a\\b"]);
  });

  it("keeps commas, parentheses and dollars inside string literals", () => {
    expect(run("States.Array('a, b)', '$.x', 'States.UUID()')")).toEqual(["a, b)", "$.x", "States.UUID()"]);
  });

  it("allows whitespace around arguments and after the call", () => {
    expect(run("States.Array(  1 ,\n 'x'\t)  ")).toEqual([1, "x"]);
    expect(run("States.Array( )")).toEqual([]);
  });
});

describe("path arguments", () => {
  const input = { a: { b: [10, 20] }, "x y": 1, "a,b": 2, items: [{ n: 1 }, { n: 2 }, { n: 3 }] };

  it("reads the input, the context object and variables", () => {
    expect(run("States.Array($, $.a.b[1], $$.Execution.Id, $v, $v.k)", { a: { b: [1, 20] } }, { v: { k: "K" } })).toEqual([
      { a: { b: [1, 20] } },
      20,
      "arn:exec:1",
      { k: "K" },
      "K",
    ]);
  });

  it("reads bracketed names, filters and slices", () => {
    expect(run("States.Array($['x y'], $['a,b'])", input)).toEqual([1, 2]);
    expect(run("States.Array($.items[?(@.n > 1)].n)", input)).toEqual([[2, 3]]);
    expect(run("States.ArrayLength($.items[0:2])", input)).toBe(2);
  });

  it("fails with States.Runtime when a path selects nothing", () => {
    const e = thrown(() => run("States.Format('{}', $.missing)", { a: 1 })) as StatesError;
    expect(e).toBeInstanceOf(StatesError);
    expect(e.error).toBe("States.Runtime");
    expect(e.cause).toContain("'$.missing'");
    expect(e.cause).toContain(`'{"a":1}'`);
    const v = thrown(() => run("States.Array($nope)")) as StatesError;
    expect(v.error).toBe("States.Runtime");
    expect(v.cause).toContain("variable '$nope'");
  });

  it("is compiled once and evaluated against each input", () => {
    const call = compileIntrinsic("States.ArrayLength($.list)");
    expect(call.text).toBe("States.ArrayLength($.list)");
    expect(call.evaluate(scope({ list: [1] }))).toBe(1);
    expect(call.evaluate(scope({ list: [1, 2, 3] }))).toBe(3);
  });
});

describe("nested calls", () => {
  it("evaluates inner calls first", () => {
    expect(run("States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), 0)")).toBe("my");
    expect(run("States.Format('{}.{}', States.ArrayLength(States.Array(1, 2)), States.MathAdd(1, 2))")).toBe("2.3");
  });

  it("runs AWS's nine-call example (with as many placeholders as values)", () => {
    const arn = "arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/my-recipe/1.0.12";
    const part = (i: number): string =>
      `States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), ${i})`;
    expect(run(`States.Format('{}.{}', ${part(0)}, ${part(1)})`, { ImageRecipe: { Arn: arn } })).toBe("1.0");
    // AWS's page shows '{}.{}.{}' with two values: it loads, and fails when it runs.
    const asDocumented = compileIntrinsic(`States.Format('{}.{}.{}', ${part(0)}, ${part(1)})`);
    const e = thrown(() => asDocumented.evaluate(scope({ ImageRecipe: { Arn: arn } }))) as StatesError;
    expect(e.error).toBe("States.IntrinsicFailure");
  });

  it("allows 10 levels of nesting and rejects 11", () => {
    const nest = (n: number): string => (n === 1 ? "States.Array(1)" : `States.Array(${nest(n - 1)})`);
    expect(run(nest(10))).toEqual([[[[[[[[[[1]]]]]]]]]]);
    expect(syntaxError(nest(11)).message).toContain("nest at most 10");
  });
});

describe("syntax errors at load time", () => {
  it.each([
    ["States.Nope(1)", "unknown intrinsic function 'States.Nope'"],
    ["Foo.Array(1)", "unknown intrinsic function 'Foo.Array'"],
    ["States.Array", "expected '('"],
    ["States.Array (1)", "expected '('"],
    ["States.Array(1", "expected ',' or ')'"],
    ["States.Array(1,)", "unexpected character ')'"],
    ["States.Array(1) x", "unexpected text after the call"],
    ["States.Array('abc)", "unterminated string literal"],
    ["States.Array('a\\nb')", "invalid escape '\\n'"],
    ["States.Array(\"a\")", "unexpected character '\"'"],
    ["States.Array(undefined)", "expected '('"],
    ["States.Array($.a[)", "unbalanced ')'"],
    ["States.Array($.a[0)", "unbalanced ')'"],
    ["States.Array($.a[?(@.b)", "unterminated path"],
    ["States.Array($.a())", "Invalid JSONPath"],
    ["States.Format()", "States.Format takes at least 1 argument, but 0 were given"],
    ["States.ArrayLength($.a, $.b)", "States.ArrayLength takes 1 argument, but 2 were given"],
    ["States.UUID(1)", "States.UUID takes 0 arguments, but 1 were given"],
    ["States.MathRandom(1)", "States.MathRandom takes 2 to 3 arguments, but 1 were given"],
    ["States.Format(1)", "must be a string"],
    ["States.JsonMerge($.a, $.b, true)", "must be false"],
    ["States.JsonMerge($.a, $.b, 'false')", "must be a boolean"],
  ])("%s", (text, detail) => {
    const e = syntaxError(text);
    expect(e.text).toBe(text);
    expect(e.message).toContain(`Invalid intrinsic function call '${text}'`);
    expect(e.message).toContain(detail);
  });
});
