import { describe, expect, it } from "vitest";
import { StatesError } from "../../errors.js";
import type { Json } from "../../json.js";
import { compileIntrinsic } from "./index.js";

const randomness = { random: () => 0.5, uuid: () => "0f8fad5b-d9cb-469f-a165-70867728950e" };
const run = (text: string, input: Json = null): Json =>
  compileIntrinsic(text).evaluate({ input, context: {}, vars: {}, randomness });

/** The StatesError a call raises. */
function failure(text: string, input: Json = null): StatesError {
  try {
    run(text, input);
  } catch (e) {
    expect(e).toBeInstanceOf(StatesError);
    return e as StatesError;
  }
  throw new Error(`${text} did not fail`);
}
const expectIntrinsicFailure = (text: string, input: Json, detail: string): void => {
  const e = failure(text, input);
  expect(e.error).toBe("States.IntrinsicFailure");
  expect(e.cause).toContain(detail);
};

describe("States.Array", () => {
  it("returns its arguments in order", () => {
    expect(run("States.Array()")).toEqual([]);
    expect(run("States.Array($.a, 'b', null, $.c)", { a: { x: [1] }, c: 1.1 })).toEqual([{ x: [1] }, "b", null, 1.1]);
  });
});

describe("States.ArrayPartition", () => {
  const p = (items: Json, size: Json): Json => run("States.ArrayPartition($.a, $.n)", { a: items, n: size });

  it("chunks an array, the last chunk shorter", () => {
    expect(p([1, 2, 3, 4, 5, 6, 7, 8, 9], 4)).toEqual([[1, 2, 3, 4], [5, 6, 7, 8], [9]]);
    expect(p([0, 1, 2], 5)).toEqual([[0, 1, 2]]);
    expect(p([], 3)).toEqual([]);
  });

  it("rounds a non-integer chunk size", () => {
    expect(p([1, 2, 3], 1.5)).toEqual([[1, 2], [3]]);
    expect(p([1, 2, 3], 1.4)).toEqual([[1], [2], [3]]);
  });

  it("fails on a non-array or a chunk size that is not a positive integer", () => {
    expectIntrinsicFailure("States.ArrayPartition($.a, 2)", { a: "abc" }, "first argument must be an array");
    expectIntrinsicFailure("States.ArrayPartition($.a, 0)", { a: [1] }, "second argument must be a positive integer");
    expectIntrinsicFailure("States.ArrayPartition($.a, -1)", { a: [1] }, "positive integer");
    expectIntrinsicFailure("States.ArrayPartition($.a, '2')", { a: [1] }, "second argument must be a number");
  });
});

describe("States.ArrayContains", () => {
  it("compares values deeply", () => {
    expect(run("States.ArrayContains($.a, 5)", { a: [1, 5, 9] })).toBe(true);
    expect(run("States.ArrayContains($.a, $.v)", { a: [[1, 2, 3], 2], v: [1, 2, 3] })).toBe(true);
    expect(run("States.ArrayContains($.a, $.v)", { a: [{ x: 1, y: [] }], v: { y: [], x: 1 } })).toBe(true);
    expect(run("States.ArrayContains($.a, null)", { a: [[1, 2, 3], 2] })).toBe(false);
    expect(run("States.ArrayContains($.a, $.v)", { a: [], v: [] })).toBe(false);
    expect(run("States.ArrayContains($.a, false)", { a: [true, false] })).toBe(true);
    expect(run("States.ArrayContains($.a, '1')", { a: [1] })).toBe(false);
  });

  it("fails when the first argument is not an array", () => {
    expectIntrinsicFailure("States.ArrayContains($.a, 1)", { a: { 0: 1 } }, "must be an array, but was object");
  });
});

describe("States.ArrayRange", () => {
  it("includes the end when a step lands on it", () => {
    expect(run("States.ArrayRange(1, 9, 2)")).toEqual([1, 3, 5, 7, 9]);
    expect(run("States.ArrayRange(0, 10, 3)")).toEqual([0, 3, 6, 9]);
    expect(run("States.ArrayRange(1, 9, 9)")).toEqual([1]);
    expect(run("States.ArrayRange(5, 5, 1)")).toEqual([5]);
  });

  it("counts down with a negative step, and is empty when the step points away", () => {
    expect(run("States.ArrayRange(9, 1, -2)")).toEqual([9, 7, 5, 3, 1]);
    expect(run("States.ArrayRange(-1, -9, -4)")).toEqual([-1, -5, -9]);
    expect(run("States.ArrayRange(1, 9, -1)")).toEqual([]);
  });

  it("rounds non-integer arguments", () => {
    expect(run("States.ArrayRange(0.5, 4.4, 1.5)")).toEqual([1, 3]);
  });

  it("allows 1000 items and no more", () => {
    expect(run("States.ArrayRange(1, 1000, 1)")).toHaveLength(1000);
    expectIntrinsicFailure("States.ArrayRange(0, 1000, 1)", null, "1001 items, but at most 1000");
  });

  it("fails on a zero step or a non-number", () => {
    expectIntrinsicFailure("States.ArrayRange(1, 9, 0)", null, "third argument must be a non-zero integer");
    expectIntrinsicFailure("States.ArrayRange('1', 9, 1)", null, "first argument must be a number");
  });
});

describe("States.ArrayGetItem", () => {
  it("returns the item at a zero-based index", () => {
    expect(run("States.ArrayGetItem($.a, $.i)", { a: [1, 2, 3, 4, 5, 6, 7, 8, 9], i: 5 })).toBe(6);
    expect(run("States.ArrayGetItem($.a, 0)", { a: [{ k: null }] })).toEqual({ k: null });
  });

  it("fails on an index outside the array or not an integer", () => {
    expectIntrinsicFailure("States.ArrayGetItem($.a, 3)", { a: [1, 2, 3] }, "index 3 is out of bounds for an array of length 3");
    expectIntrinsicFailure("States.ArrayGetItem($.a, -1)", { a: [1] }, "out of bounds");
    expectIntrinsicFailure("States.ArrayGetItem($.a, 0.5)", { a: [1] }, "second argument must be an integer");
    expectIntrinsicFailure("States.ArrayGetItem($.a, 0)", { a: "abc" }, "first argument must be an array");
  });
});

describe("States.ArrayLength", () => {
  it("counts items", () => {
    expect(run("States.ArrayLength($)", [null, null, [], {}])).toBe(4);
    expect(run("States.ArrayLength(States.Array())")).toBe(0);
  });

  it("fails on a non-array", () => {
    expectIntrinsicFailure("States.ArrayLength($.s)", { s: "abc" }, "must be an array, but was string \"abc\"");
  });
});

describe("States.ArrayUnique", () => {
  it("keeps the first of deep-equal values, in order", () => {
    const input = [null, null, true, true, false, 1, 1, 1.1, 0, -0, "a", "a", [], [], [null], [null], { a: 1, b: 2 }, { b: 2, a: 1 }, { a: 1, b: 1 }];
    expect(run("States.ArrayUnique($)", input)).toEqual([null, true, false, 1, 1.1, 0, "a", [], [null], { a: 1, b: 2 }, { a: 1, b: 1 }]);
    expect(run("States.ArrayUnique($)", [1, 2, 2, 3, 3, 4])).toEqual([1, 2, 3, 4]);
  });

  it("does not confuse a string with the number it spells", () => {
    expect(run("States.ArrayUnique($)", [1, "1"])).toEqual([1, "1"]);
  });

  it("fails on a non-array", () => {
    expectIntrinsicFailure("States.ArrayUnique($)", { a: 1 }, "must be an array");
  });
});
