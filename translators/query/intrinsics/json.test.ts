import { describe, expect, it } from "vitest";
import { StatesError } from "../../errors.js";
import type { Json } from "../../json.js";
import { compileIntrinsic } from "./index.js";

const randomness = { random: () => 0.5, uuid: () => "0f8fad5b-d9cb-469f-a165-70867728950e" };
const run = (text: string, input: Json = null): Json =>
  compileIntrinsic(text).evaluate({ input, context: {}, vars: {}, randomness });

function failure(text: string, input: Json = null): StatesError {
  try {
    run(text, input);
  } catch (e) {
    expect(e).toBeInstanceOf(StatesError);
    return e as StatesError;
  }
  throw new Error(`${text} did not fail`);
}

describe("States.StringToJson", () => {
  const parse = (s: Json): Json => run("States.StringToJson($.s)", { s });

  it("parses JSON text of any type", () => {
    expect(parse('{"Arg1": 1, "Arg2": []}')).toEqual({ Arg1: 1, Arg2: [] });
    expect(parse('[1, 2, "HelloWorld"]')).toEqual([1, 2, "HelloWorld"]);
    expect(parse('"HelloWorld"')).toBe("HelloWorld");
    expect(parse("1.1")).toBe(1.1);
    expect(parse("true")).toBe(true);
    expect(parse("null")).toBe(null);
    expect(parse("  7  ")).toBe(7);
  });

  it("reads -0 as 0, as AWS does", () => {
    expect(Object.is(parse("-0"), 0)).toBe(true);
    expect(Object.is((parse("[-0]") as number[])[0], 0)).toBe(true);
  });

  it("fails on text that is not JSON, or on a non-string", () => {
    for (const s of ["{", "", "{'a': 1}", "undefined"]) {
      expect(failure("States.StringToJson($.s)", { s }).error).toBe("States.IntrinsicFailure");
    }
    expect(failure("States.StringToJson($.s)", { s: { a: 1 } }).cause).toContain("must be a string, but was object");
  });

  it("round-trips with States.JsonToString", () => {
    const v = { a: [1, { b: null }], c: "x" };
    expect(run("States.StringToJson(States.JsonToString($))", v)).toEqual(v);
  });
});

describe("States.JsonToString", () => {
  it("prints compact JSON text, keeping key order", () => {
    expect(run("States.JsonToString($.v)", { v: { Arg1: 1, Arg2: [] } })).toBe('{"Arg1":1,"Arg2":[]}');
    expect(run("States.JsonToString($.v)", { v: { z: 1, a: { y: "q\"" } } })).toBe('{"z":1,"a":{"y":"q\\""}}');
  });

  it("prints scalars as JSON", () => {
    expect(run("States.JsonToString($.v)", { v: null })).toBe("null");
    expect(run("States.JsonToString($.v)", { v: 0 })).toBe("0");
    expect(run("States.JsonToString($.v)", { v: true })).toBe("true");
    expect(run("States.JsonToString($.v)", { v: "s" })).toBe('"s"');
  });
});

describe("States.JsonMerge", () => {
  it("merges shallowly: the second object's fields win, nested objects are replaced", () => {
    const input = { fst: { a: { a1: 1, a2: 2 }, b: 2, d: 3 }, snd: { a: { a3: 1, a4: 2 }, c: 3, d: 4 } };
    expect(run("States.JsonMerge($.fst, $.snd, false)", input)).toEqual({ a: { a3: 1, a4: 2 }, b: 2, c: 3, d: 4 });
  });

  it("does not change its inputs", () => {
    const input = { fst: { a: 1 }, snd: { b: 2 } };
    run("States.JsonMerge($.fst, $.snd, false)", input);
    expect(input).toEqual({ fst: { a: 1 }, snd: { b: 2 } });
  });

  it("keeps a field named __proto__ as data", () => {
    const snd = JSON.parse('{"__proto__": {"x": 1}}') as Json;
    const merged = run("States.JsonMerge($.fst, $.snd, false)", { fst: {}, snd });
    expect(Object.keys(merged as object)).toEqual(["__proto__"]);
  });

  it("fails on non-objects and on deep mode given at run time", () => {
    expect(failure("States.JsonMerge($.a, $.b, false)", { a: [], b: {} }).cause).toContain("first argument must be a JSON object");
    expect(failure("States.JsonMerge($.a, $.b, false)", { a: {}, b: "x" }).cause).toContain("second argument must be a JSON object");
    const deep = failure("States.JsonMerge($.a, $.b, $.deep)", { a: {}, b: {}, deep: true });
    expect(deep.error).toBe("States.IntrinsicFailure");
    expect(deep.cause).toContain("only shallow merging is supported");
    expect(failure("States.JsonMerge($.a, $.b, $.deep)", { a: {}, b: {}, deep: 0 }).cause).toContain("third argument must be a boolean");
  });
});
