import { describe, expect, it } from "vitest";
import type { ChoiceRule } from "../asl/model.js";
import { isStatesError } from "../errors.js";
import type { Json, JsonObject } from "../json.js";
import type { EvalScope } from "../query/scope.js";
import { compileChoiceRule } from "./index.js";

const scope = (input: Json, vars: Record<string, Json> = {}, context: JsonObject = {}): EvalScope => ({
  input,
  context,
  vars,
  randomness: { random: () => 0, uuid: () => "00000000-0000-4000-8000-000000000000" },
});

/** Evaluates `{Variable: "$.v", [op]: operand}` against `{v: value}`. */
const test = (op: string, operand: Json, value: Json): boolean =>
  compileChoiceRule({ Variable: "$.v", [op]: operand } as ChoiceRule).evaluate(scope({ v: value }));

/** Evaluates `{Variable: "$.v", [op + "Path"]: "$.w"}` against `{v: value, w: other}`. */
const testPath = (op: string, value: Json, other: Json): boolean =>
  compileChoiceRule({ Variable: "$.v", [`${op}Path`]: "$.w" } as ChoiceRule).evaluate(scope({ v: value, w: other }));

/** What a rule throws, as {error, cause}. */
function thrown(rule: ChoiceRule, input: Json, vars: Record<string, Json> = {}): { error: string; cause: string | undefined } {
  try {
    compileChoiceRule(rule).evaluate(scope(input, vars));
  } catch (e) {
    if (isStatesError(e)) return { error: e.error, cause: e.cause };
    throw e;
  }
  throw new Error("expected the rule to throw");
}

const OTHER_TYPES: Json[] = [null, 0, 1.5, "", "x", true, false, [], [1], {}, { a: 1 }];

describe("string comparisons", () => {
  it.each([
    ["StringEquals", "abc", "abc", true],
    ["StringEquals", "abc", "abd", false],
    ["StringEquals", " ", "     ", false],
    ["StringLessThan", "A", "AB", true],
    ["StringLessThan", "AB", "A", false],
    ["StringLessThan", "", "", false],
    ["StringLessThanEquals", "", "", true],
    ["StringLessThanEquals", "AB", "A", false],
    ["StringGreaterThan", "A", "A ", false],
    ["StringGreaterThan", "b", "a", true],
    ["StringGreaterThanEquals", "AB", "A", true],
    ["StringGreaterThanEquals", "", "", true],
    // Java's compareTo orders by UTF-16 code units: uppercase before lowercase, no locale.
    ["StringLessThan", "Z", "a", true],
    ["StringLessThan", "é", "z", false],
    ["StringLessThan", "\uFFFF", "😀", false],
  ])("%s: %j vs %j is %s", (op, value, operand, expected) => {
    expect(test(op, operand, value)).toBe(expected);
    expect(testPath(op, value, operand)).toBe(expected);
  });

  it("StringMatches uses the wildcard pattern", () => {
    expect(test("StringMatches", "log-*.txt", "log-1.txt")).toBe(true);
    expect(test("StringMatches", "log-\\*.txt", "log-1.txt")).toBe(false);
    expect(test("StringMatches", "log-\\*.txt", "log-*.txt")).toBe(true);
    expect(test("StringMatches", "*", 5)).toBe(false);
  });

  it.each(OTHER_TYPES.filter((v) => typeof v !== "string"))("is false for a %j Variable", (value) => {
    for (const op of ["StringEquals", "StringLessThan", "StringGreaterThanEquals", "StringMatches"]) {
      expect(test(op, "", value)).toBe(false);
    }
  });
});

describe("numeric comparisons", () => {
  it.each([
    ["NumericEquals", 1, 1, true],
    ["NumericEquals", 2.22, 2.22, true],
    ["NumericEquals", 1.1, 1, false],
    ["NumericEquals", 0, -0, true],
    ["NumericLessThan", 0, 1, true],
    ["NumericLessThan", 1, 1, false],
    ["NumericLessThanEquals", 1, 1, true],
    ["NumericLessThanEquals", 1, 0, false],
    ["NumericGreaterThan", 1, 0, true],
    ["NumericGreaterThan", 0, 0, false],
    ["NumericGreaterThanEquals", 0, 0, true],
    ["NumericGreaterThanEquals", 0, 1, false],
    ["NumericLessThan", -1e300, 1e-300, true],
  ])("%s: %j vs %j is %s", (op, value, operand, expected) => {
    expect(test(op, operand, value)).toBe(expected);
    expect(testPath(op, value, operand)).toBe(expected);
  });

  it.each(OTHER_TYPES.filter((v) => typeof v !== "number"))("is false for a %j Variable (no coercion)", (value) => {
    for (const op of ["NumericEquals", "NumericLessThan", "NumericGreaterThanEquals"]) {
      expect(test(op, 0, value)).toBe(false);
    }
  });

  it("does not read numeric strings as numbers", () => {
    expect(test("NumericEquals", 42, "42")).toBe(false);
  });
});

describe("BooleanEquals", () => {
  it("compares booleans only", () => {
    expect(test("BooleanEquals", true, true)).toBe(true);
    expect(test("BooleanEquals", false, false)).toBe(true);
    expect(test("BooleanEquals", true, false)).toBe(false);
    for (const value of OTHER_TYPES.filter((v) => typeof v !== "boolean")) {
      expect(test("BooleanEquals", false, value)).toBe(false);
      expect(test("BooleanEquals", true, value)).toBe(false);
    }
    expect(testPath("BooleanEquals", true, true)).toBe(true);
    expect(testPath("BooleanEquals", false, true)).toBe(false);
  });
});

describe("timestamp comparisons", () => {
  const T0 = "2012-10-09T19:00:55Z";
  const T1 = "2012-10-09T19:00:56Z";
  it.each([
    ["TimestampEquals", T0, T0, true],
    ["TimestampEquals", T0, T1, false],
    ["TimestampEquals", "2012-10-09T20:00:55+01:00", T0, true],
    ["TimestampEquals", "2012-10-09T19:00:55.000Z", T0, true],
    ["TimestampLessThan", T0, T1, true],
    ["TimestampLessThan", T0, T0, false],
    ["TimestampLessThanEquals", T0, T0, true],
    ["TimestampLessThanEquals", T1, T0, false],
    ["TimestampGreaterThan", T1, T0, true],
    ["TimestampGreaterThan", T0, T1, false],
    ["TimestampGreaterThanEquals", T0, T0, true],
    ["TimestampGreaterThanEquals", T0, T1, false],
    ["TimestampGreaterThan", "2012-10-09T19:00:55.000000001Z", T0, true],
  ])("%s: %j vs %j is %s", (op, value, operand, expected) => {
    expect(test(op, operand, value)).toBe(expected);
    expect(testPath(op, value, operand)).toBe(expected);
  });

  it.each([...OTHER_TYPES, "2012-10-09T19:00:55", "2023-02-24", "2023-02-24 12:15:56.832957"])(
    "is false for a %j Variable",
    (value) => {
      expect(test("TimestampEquals", T0, value)).toBe(false);
      expect(test("TimestampLessThan", T0, value)).toBe(false);
    },
  );
});

describe("type tests", () => {
  const cases: [string, Json, boolean][] = [
    ["IsNull", null, true],
    ["IsNull", 0, false],
    ["IsNull", "", false],
    ["IsNull", {}, false],
    ["IsNumeric", 0, true],
    ["IsNumeric", 1.1, true],
    ["IsNumeric", "1", false],
    ["IsNumeric", true, false],
    ["IsString", "", true],
    ["IsString", "2012-10-09T19:00:55Z", true],
    ["IsString", 0, false],
    ["IsString", null, false],
    ["IsBoolean", false, true],
    ["IsBoolean", "true", false],
    ["IsBoolean", null, false],
    ["IsTimestamp", "2012-10-09T19:00:55Z", true],
    ["IsTimestamp", "2012-10-09T19:00:55+01:00", true],
    ["IsTimestamp", "2012-10-09T19:00:55", false],
    ["IsTimestamp", "2023-02-24", false],
    ["IsTimestamp", 0, false],
  ];
  it.each(cases)("%s of %j is %s; with false it is the opposite", (op, value, expected) => {
    expect(test(op, true, value)).toBe(expected);
    expect(test(op, false, value)).toBe(!expected);
  });

  it("IsPresent tells whether the path selects anything, null included", () => {
    expect(test("IsPresent", true, null)).toBe(true);
    expect(test("IsPresent", false, null)).toBe(false);
    const rule = (b: boolean) => compileChoiceRule({ Variable: "$.missing.deeper", IsPresent: b });
    expect(rule(true).evaluate(scope({}))).toBe(false);
    expect(rule(false).evaluate(scope({}))).toBe(true);
    expect(rule(false).evaluate(scope("not an object"))).toBe(true);
  });
});

describe("missing paths", () => {
  const CAUSE = "The choice state's condition path references an invalid value.";

  it.each(["StringEquals", "NumericEquals", "BooleanEquals", "IsNull", "IsString", "IsTimestamp", "StringMatches"])(
    "%s fails with States.Runtime when Variable selects nothing",
    (op) => {
      const operand = op.startsWith("Numeric") ? 1 : op.startsWith("Is") || op.startsWith("Boolean") ? true : "x";
      expect(thrown({ Variable: "$.nope", [op]: operand } as ChoiceRule, { v: 1 })).toEqual({
        error: "States.Runtime",
        cause: `Invalid path '$.nope': ${CAUSE}`,
      });
    },
  );

  it("a Path variant fails when its second path selects nothing", () => {
    expect(thrown({ Variable: "$.v", NumericEqualsPath: "$.other" }, { v: 1 })).toEqual({
      error: "States.Runtime",
      cause: `Invalid path '$.other': ${CAUSE}`,
    });
  });

  it("names the Variable first when both paths are missing", () => {
    expect(thrown({ Variable: "$.a", StringEqualsPath: "$.b" }, {}).cause).toBe(`Invalid path '$.a': ${CAUSE}`);
  });

  it("an index past the end is missing", () => {
    expect(thrown({ Variable: "$.list[3]", NumericEquals: 1 }, { list: [1] }).cause).toBe(`Invalid path '$.list[3]': ${CAUSE}`);
  });

  it("an undefined workflow variable is missing", () => {
    expect(thrown({ Variable: "$answer", StringEquals: "x" }, {}).cause).toBe(`Invalid path '$answer': ${CAUSE}`);
  });
});

describe("Path variants", () => {
  it("compare with a wrong-typed second value as false", () => {
    expect(testPath("NumericEquals", 1, "1")).toBe(false);
    expect(testPath("StringEquals", 1, 1)).toBe(false);
    expect(testPath("StringGreaterThan", "b", 1)).toBe(false);
    expect(testPath("TimestampEquals", "2012-10-09T19:00:55Z", "not a timestamp")).toBe(false);
    expect(testPath("BooleanEquals", true, "true")).toBe(false);
  });

  it("read workflow variables and the context object", () => {
    const rule: ChoiceRule = { Variable: "$guess", StringEqualsPath: "$answer" };
    expect(compileChoiceRule(rule).evaluate(scope({}, { guess: "a", answer: "a" }))).toBe(true);
    expect(compileChoiceRule(rule).evaluate(scope({}, { guess: "a", answer: "b" }))).toBe(false);
    const ctx: ChoiceRule = { Variable: "$$.Execution.Input.n", NumericLessThanEqualsPath: "$.limit" };
    const s = scope({ limit: 3 }, {}, { Execution: { Input: { n: 2 } } });
    expect(compileChoiceRule(ctx).evaluate(s)).toBe(true);
  });

  it("read context paths with dashes in names (conformance case context_object test_variable)", () => {
    const rule: ChoiceRule = { Variable: "$$.Execution.Input.input-value", NumericLessThanEquals: 0 };
    expect(compileChoiceRule(rule).evaluate(scope({ "input-value": 0 }, {}, { Execution: { Input: { "input-value": 0 } } }))).toBe(true);
  });

  it("read into workflow variables' fields", () => {
    const rule: ChoiceRule = { Variable: "$order.total", NumericGreaterThan: 100 };
    expect(compileChoiceRule(rule).evaluate(scope({}, { order: { total: 101 } }))).toBe(true);
  });
});

describe("And, Or, Not", () => {
  const twenties: ChoiceRule = {
    And: [
      { Variable: "$.value", NumericGreaterThanEquals: 20 },
      { Variable: "$.value", NumericLessThan: 30 },
    ],
  };

  it("And needs every rule, Or any, Not the opposite", () => {
    const and = compileChoiceRule(twenties);
    expect(and.evaluate(scope({ value: 22 }))).toBe(true);
    expect(and.evaluate(scope({ value: 30 }))).toBe(false);
    const or = compileChoiceRule({ Or: [{ Variable: "$.a", BooleanEquals: true }, { Variable: "$.b", BooleanEquals: true }] });
    expect(or.evaluate(scope({ a: false, b: true }))).toBe(true);
    expect(or.evaluate(scope({ a: false, b: false }))).toBe(false);
    const not = compileChoiceRule({ Not: { Variable: "$.type", StringEquals: "Private" } });
    expect(not.evaluate(scope({ type: "Private" }))).toBe(false);
    expect(not.evaluate(scope({ type: "Public" }))).toBe(true);
  });

  it("nest", () => {
    const rule = compileChoiceRule({
      Or: [{ Not: twenties }, { And: [{ Variable: "$.flag", IsPresent: true }, { Not: { Variable: "$.flag", IsNull: true } }] }],
    });
    expect(rule.evaluate(scope({ value: 25 }))).toBe(false);
    expect(rule.evaluate(scope({ value: 25, flag: 1 }))).toBe(true);
    expect(rule.evaluate(scope({ value: 25, flag: null }))).toBe(false);
    expect(rule.evaluate(scope({ value: 5 }))).toBe(true);
  });

  it("stop at the first rule that decides, so IsPresent can guard a comparison", () => {
    const guarded = compileChoiceRule({
      And: [
        { Variable: "$.keyThatMightNotExist", IsPresent: true },
        { Variable: "$.keyThatMightNotExist", StringEquals: "foo" },
      ],
    });
    expect(guarded.evaluate(scope({}))).toBe(false);
    expect(guarded.evaluate(scope({ keyThatMightNotExist: "foo" }))).toBe(true);
    const or = compileChoiceRule({ Or: [{ Variable: "$.a", IsPresent: false }, { Variable: "$.a", NumericEquals: 1 }] });
    expect(or.evaluate(scope({}))).toBe(true);
  });

  it("propagate a missing path from a nested rule", () => {
    expect(thrown({ Not: { Variable: "$.x", IsNull: true } }, {}).error).toBe("States.Runtime");
  });

  it("ignore Next, Comment and Assign", () => {
    const rule: ChoiceRule = { Variable: "$.v", NumericEquals: 1, Next: "A", Comment: "c", Assign: { x: 1 } };
    expect(compileChoiceRule(rule).evaluate(scope({ v: 1 }))).toBe(true);
  });
});
