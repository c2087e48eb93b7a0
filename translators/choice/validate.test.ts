import { describe, expect, it } from "vitest";
import { Diagnostics, type Diagnostic } from "../asl/diagnostics.js";
import { COMPARISON_OPERATORS, TYPE_TEST_OPERATORS, validateChoiceRule } from "./index.js";

const AT = "/States/Check/Choices/0";
const ONE = "A choice rule must have exactly one of And, Or, Not or a comparison operator (such as StringEquals, NumericLessThanPath, IsPresent)";
const TS = 'a timestamp such as "2016-08-18T17:33:00Z" (RFC 3339, uppercase T, Z or a ±hh:mm offset)';
const NOT_TOP = "is only allowed on top-level choice rules, not inside And, Or or Not.";

function check(rule: unknown, topLevel = true): Diagnostic[] {
  const diags = new Diagnostics();
  validateChoiceRule(rule, AT, diags, topLevel);
  return diags.items;
}

/** [location, message] pairs, for compact expectations. */
const problems = (rule: unknown, topLevel = true): [string, string][] => check(rule, topLevel).map((d) => [d.location, d.message]);

const VALID_OPERAND: Record<string, unknown> = {
  String: "abc",
  Numeric: 1,
  Boolean: true,
  Timestamp: "2016-08-18T17:33:00Z",
};
const literalFor = (op: string): unknown => VALID_OPERAND[/^[A-Z][a-z]+/.exec(op)?.[0] ?? ""];

describe("valid rules", () => {
  it.each(COMPARISON_OPERATORS.map((op) => [op]))("accepts %s with its literal and, except StringMatches, its Path variant", (op) => {
    expect(check({ Variable: "$.v", [op]: literalFor(op), Next: "A" })).toEqual([]);
    if (op !== "StringMatches") expect(check({ Variable: "$.v", [`${op}Path`]: "$.w", Next: "A" })).toEqual([]);
  });

  it.each([...TYPE_TEST_OPERATORS, "IsPresent"].map((op) => [op]))("accepts %s with a boolean", (op) => {
    expect(check({ Variable: "$.v", [op]: false, Next: "A" })).toEqual([]);
  });

  it("accepts nesting, Comment everywhere, and Assign on top-level rules", () => {
    const rule = {
      Comment: "top",
      Assign: { status: "x", "guess.$": "$.input_value" },
      Or: [
        { Comment: "nested", Not: { Variable: "$.type", StringEquals: "Private" } },
        { And: [{ Variable: "$.value", NumericGreaterThanEquals: 20 }, { Variable: "$.value", NumericLessThan: 30 }] },
      ],
      Next: "A",
    };
    expect(check(rule)).toEqual([]);
  });

  it("accepts context paths and workflow variables as references", () => {
    expect(check({ Variable: "$$.Execution.Input.x", StringEqualsPath: "$answer.value", Next: "A" })).toEqual([]);
    expect(check({ Variable: "$", IsPresent: true, Next: "A" })).toEqual([]);
    expect(check({ Variable: "$['a b'][0]", IsNull: true, Next: "A" })).toEqual([]);
  });
});

describe("rule shape", () => {
  it("rejects a rule that is not an object", () => {
    expect(problems("x")).toEqual([[AT, 'A choice rule must be an object, found a string ("x").']]);
    expect(problems([])).toEqual([[AT, "A choice rule must be an object, found an array."]]);
  });

  it("needs exactly one condition", () => {
    expect(problems({ Variable: "$.v", Next: "A" })).toEqual([
      [AT, `${ONE}; found none.`],
    ]);
    expect(problems({ Variable: "$.v", StringEquals: "a", NumericEquals: 1, Next: "A" })).toEqual([
      [AT, `${ONE}; found 2: 'StringEquals', 'NumericEquals'.`],
    ]);
    expect(problems({ Not: { Variable: "$.v", IsNull: true }, Variable: "$.v", IsNull: true, Next: "A" })[0]?.[1]).toContain(
      "found 2: 'Not', 'IsNull'",
    );
  });

  it("rejects unknown fields, naming JSONata-only ones", () => {
    expect(problems({ Variable: "$.v", IsNull: true, Next: "A", Foo: 1 })).toEqual([
      [`${AT}/Foo`, "Field 'Foo' is not supported in a choice rule."],
    ]);
    expect(problems({ Variable: "$.v", IsNull: true, Next: "A", Output: {} })).toEqual([
      [`${AT}/Output`, "Field 'Output' is not supported in a JSONPath choice rule (it belongs to JSONata choice rules)."],
    ]);
    expect(problems({ Variable: "$.v", StringMatchesPath: "$.w", Next: "A" })).toEqual([
      [`${AT}/StringMatchesPath`, "Field 'StringMatchesPath' is not supported in a choice rule."],
      [AT, `${ONE}; found none.`],
    ]);
    expect(problems({ Variable: "$.v", IsPresentPath: "$.w", Next: "A" })[0]).toEqual([
      `${AT}/IsPresentPath`,
      "Field 'IsPresentPath' is not supported in a choice rule.",
    ]);
  });

  it("rejects a Comment that is not a string", () => {
    expect(problems({ Variable: "$.v", IsNull: true, Next: "A", Comment: 3 })).toEqual([
      [`${AT}/Comment`, "The field 'Comment' must be a string, found a number (3)."],
    ]);
  });
});

describe("Next and Assign", () => {
  it("requires Next on top-level rules", () => {
    expect(problems({ Variable: "$.v", IsNull: true })).toEqual([
      [AT, "A top-level choice rule needs the field 'Next' (the state to go to when it matches)."],
    ]);
    expect(problems({ Variable: "$.v", IsNull: true, Next: "" })).toEqual([
      [`${AT}/Next`, 'The field \'Next\' must be a non-empty state name, found a string ("").'],
    ]);
  });

  it("forbids Next and Assign on nested rules", () => {
    expect(problems({ Not: { Variable: "$.v", IsNull: true, Next: "B", Assign: {} }, Next: "A" })).toEqual([
      [`${AT}/Not/Next`, `Field 'Next' ${NOT_TOP}`],
      [`${AT}/Not/Assign`, `Field 'Assign' ${NOT_TOP}`],
    ]);
    expect(problems({ Variable: "$.v", IsNull: true, Next: "A" }, false)).toEqual([
      [`${AT}/Next`, `Field 'Next' ${NOT_TOP}`],
    ]);
  });

  it("accepts a nested rule without Next", () => {
    expect(check({ Variable: "$.v", IsNull: true }, false)).toEqual([]);
  });

  it("requires Assign to be an object", () => {
    expect(problems({ Variable: "$.v", IsNull: true, Next: "A", Assign: [1] })).toEqual([
      [`${AT}/Assign`, "The field 'Assign' must be an object, found an array."],
    ]);
  });
});

describe("Variable", () => {
  it("is required with a comparison", () => {
    expect(problems({ StringEquals: "a", Next: "A" })).toEqual([[AT, "Field 'Variable' is required with 'StringEquals'."]]);
  });

  it("is not allowed with And, Or, Not", () => {
    expect(problems({ Variable: "$.v", Not: { Variable: "$.v", IsNull: true }, Next: "A" })).toEqual([
      [`${AT}/Variable`, "Field 'Variable' is not allowed with 'Not'; put it in the nested rules."],
    ]);
  });

  it("must be a reference path", () => {
    expect(problems({ Variable: 3, IsNull: true, Next: "A" })).toEqual([
      [`${AT}/Variable`, "The field 'Variable' must be a reference path string, found a number (3)."],
    ]);
    expect(problems({ Variable: "$.items[*].id", IsNull: true, Next: "A" })).toEqual([
      [`${AT}/Variable`, "The field 'Variable' must be a reference path (no wildcards, filters, slices or unions), found '$.items[*].id'."],
    ]);
    const [location, message] = problems({ Variable: "value", IsNull: true, Next: "A" })[0] ?? [];
    expect(location).toBe(`${AT}/Variable`);
    expect(message).toMatch(/^The field 'Variable' must be a valid JSONPath, found 'value': /);
  });
});

describe("operands", () => {
  it.each([
    ["StringEquals", 1, "The field 'StringEquals' must be a string, found a number (1)."],
    ["StringMatches", null, "The field 'StringMatches' must be a string, found null."],
    ["NumericEquals", "1", 'The field \'NumericEquals\' must be a number, found a string ("1").'],
    ["NumericLessThan", true, "The field 'NumericLessThan' must be a number, found a boolean (true)."],
    ["BooleanEquals", "true", 'The field \'BooleanEquals\' must be a boolean, found a string ("true").'],
    ["IsPresent", 1, "The field 'IsPresent' must be a boolean, found a number (1)."],
    ["IsTimestamp", "yes", 'The field \'IsTimestamp\' must be a boolean, found a string ("yes").'],
    [
      "TimestampEquals",
      "2016-08-18",
      `The field 'TimestampEquals' must be ${TS}, found a string ("2016-08-18").`,
    ],
    [
      "TimestampLessThan",
      0,
      `The field 'TimestampLessThan' must be ${TS}, found a number (0).`,
    ],
    ["NumericEqualsPath", 1, "The field 'NumericEqualsPath' must be a reference path string, found a number (1)."],
    ["StringEqualsPath", "$..x", "The field 'StringEqualsPath' must be a reference path (no wildcards, filters, slices or unions), found '$..x'."],
  ])("%s: %j", (op, operand, message) => {
    expect(problems({ Variable: "$.v", [op]: operand, Next: "A" })).toEqual([[`${AT}/${op}`, message]]);
  });
});

describe("And, Or, Not", () => {
  it("And and Or need a non-empty array", () => {
    expect(problems({ And: [], Next: "A" })).toEqual([[`${AT}/And`, "The field 'And' must be a non-empty array of choice rules, found an empty array."]]);
    expect(problems({ Or: {}, Next: "A" })).toEqual([[`${AT}/Or`, "The field 'Or' must be a non-empty array of choice rules, found an object."]]);
  });

  it("Not needs one rule object", () => {
    expect(problems({ Not: [{ Variable: "$.v", IsNull: true }], Next: "A" })).toEqual([
      [`${AT}/Not`, "The field 'Not' must be a single choice rule (an object), found an array."],
    ]);
  });

  it("reports every problem in nested rules, each at its own pointer", () => {
    const rule = {
      And: [
        { Variable: "$.a", NumericEquals: "1" },
        { Or: [{ Variable: "$.b" }, { Not: { StringEquals: "x" } }] },
        7,
      ],
      Next: "A",
    };
    expect(problems(rule)).toEqual([
      [`${AT}/And/0/NumericEquals`, 'The field \'NumericEquals\' must be a number, found a string ("1").'],
      [`${AT}/And/1/Or/0`, `${ONE}; found none.`],
      [`${AT}/And/1/Or/1/Not`, "Field 'Variable' is required with 'StringEquals'."],
      [`${AT}/And/2`, "A choice rule must be an object, found a number (7)."],
    ]);
  });

  it("escapes pointer tokens", () => {
    expect(problems({ Variable: "$.v", IsNull: true, Next: "A", "a/b~c": 1 })[0]?.[0]).toBe(`${AT}/a~1b~0c`);
  });

  it("uses AWS's code for schema problems", () => {
    expect(check({ Variable: "$.v", Next: "A" }).map((d) => [d.severity, d.code])).toEqual([["ERROR", "SCHEMA_VALIDATION_FAILED"]]);
  });
});
