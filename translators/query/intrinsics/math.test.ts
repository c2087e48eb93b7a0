import { describe, expect, it } from "vitest";
import { StatesError } from "../../errors.js";
import type { Json } from "../../json.js";
import type { Randomness } from "../scope.js";
import { compileIntrinsic } from "./index.js";
import { JavaRandom } from "./java-random.js";

const fixed = (r: number): Randomness => ({ random: () => r, uuid: () => "0f8fad5b-d9cb-469f-a165-70867728950e" });
const run = (text: string, input: Json = null, randomness = fixed(0.5)): Json =>
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

describe("States.MathAdd", () => {
  const add = (a: Json, b: Json): Json => run("States.MathAdd($.a, $.b)", { a, b });

  it("adds integers", () => {
    expect(add(111, -1)).toBe(110);
    expect(add(-9, 3)).toBe(-6);
    expect(run("States.MathAdd(States.ArrayLength($), 1)", [1, 2])).toBe(3);
  });

  // Every pair below was recorded on AWS (../shared/conformance, test_math_add).
  it.each([
    [1.5, 1.51, 4],
    [-1.49, -1.5, -2],
    [-1.5, -1.51, -3],
    [1.49, 0, 1],
    [1.49, -1.49, 0],
    [1.5, 0, 2],
    [1.51, 0, 2],
    [-1.49, 0, -1],
    [-1.5, 0, -1],
    [-1.51, 0, -2],
    [0.5, 0, 1],
    [2.5, 0, 3],
    [3.5, 0, 4],
    [-0.5, 0.5, 1],
    [-3.5, 0, -3],
  ])("rounds each argument the Java way first: %d + %d = %d", (a, b, sum) => {
    expect(add(a, b)).toBe(sum);
  });

  it("never returns -0", () => {
    expect(Object.is(add(-0.4, -0.4), 0)).toBe(true);
  });

  it("fails on non-numbers and on integers outside Java's int range", () => {
    expect(failure("States.MathAdd($.a, 1)", { a: "1" }).cause).toContain("first argument must be a number, but was string \"1\"");
    expect(failure("States.MathAdd(1, null)").cause).toContain("second argument must be a number");
    expect(failure("States.MathAdd(2147483648, 1)").cause).toContain("from -2147483648 to 2147483647");
    expect(add(2147483647, -2147483648)).toBe(-1);
  });
});

describe("States.MathRandom", () => {
  it("draws from [start, end) with the injected randomness", () => {
    expect(run("States.MathRandom(1, 999)", null, fixed(0))).toBe(1);
    expect(run("States.MathRandom(1, 999)", null, fixed(0.999999999))).toBe(998);
    expect(run("States.MathRandom(-99999, -9999)", null, fixed(0.5))).toBe(-54999);
  });

  it("rounds non-integer bounds", () => {
    expect(run("States.MathRandom(12.5, 44.51)", null, fixed(0))).toBe(13);
    expect(run("States.MathRandom(12.5, 44.51)", null, fixed(0.9999999))).toBe(44);
  });

  it("is deterministic for a seed, ignoring the injected randomness", () => {
    const a = run("States.MathRandom(0, 999, 42)", null, fixed(0.1));
    const b = run("States.MathRandom(0, 999, 42)", null, fixed(0.9));
    expect(a).toBe(b);
    // java.util.Random(42).nextInt(999), checked with a JDK.
    expect(a).toBe(125);
    expect(run("States.MathRandom(10, 1009, $.seed)", { seed: 0 })).toBe(682);
  });

  it("fails when end is not greater than start, or on non-numbers", () => {
    expect(failure("States.MathRandom(5, 5)").cause).toContain("greater than the start (5)");
    expect(failure("States.MathRandom(5, 1)").error).toBe("States.IntrinsicFailure");
    expect(failure("States.MathRandom('1', 5)").cause).toContain("first argument must be a number");
    expect(failure("States.MathRandom(1, 5, 'seed')").cause).toContain("third argument must be a number");
  });
});

describe("JavaRandom (java.util.Random), against values from a JDK", () => {
  it.each([
    [0n, 999, 672],
    [1n, 999, 105],
    [3n, 999, 239],
    [42n, 999, 125],
    [-7n, 999, 175],
    [123456789n, 999, 403],
    [0n, 16, 11],
    [-7n, 16, 4],
    [123456789n, 16, 10],
    [0n, 2147483647, 1569741360],
    [42n, 2147483647, 1562431130],
  ])("new Random(%s).nextInt(%d) = %d", (seed, bound, value) => {
    expect(new JavaRandom(seed).nextIntBelow(bound)).toBe(value);
  });

  it("draws across ranges wider than a Java int", () => {
    // new Random(5).ints(Integer.MIN_VALUE, Integer.MAX_VALUE).findFirst()
    expect(new JavaRandom(5n).nextIntBetween(-2147483648, 2147483647)).toBe(-1157408321);
  });
});

describe("States.UUID", () => {
  it("returns the injected v4 UUID", () => {
    expect(run("States.UUID()")).toBe("0f8fad5b-d9cb-469f-a165-70867728950e");
  });
});
