/**
 * Replays the choice_operators conformance cases (recorded on AWS) against the compiled rules:
 * each case's Choice state is validated and compiled, evaluated on the case input, and the
 * branch it picks (a Pass state whose Result names it) must be the recorded output.
 *
 * The recorder replaced every ISO timestamp in those cases with the placeholder "date", in the
 * definitions and in the inputs. For the timestamp_operators cases the original values follow
 * from the case index and LocalStack's test module that produced them
 * (tests/aws/services/stepfunctions/v2/choice_operators/test_timestamp_operators.py), so they
 * are put back before the case runs. Elsewhere "date" only stands in for a Variable that is a
 * timestamp string, and no other operator there tells it from any other string.
 */
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Diagnostics, pointer } from "../asl/diagnostics.js";
import type { ChoiceRule, ChoiceState, State } from "../asl/model.js";
import { isObject, jsonEquals, type Json, type JsonObject } from "../json.js";
import type { EvalScope } from "../query/scope.js";
import { compileChoiceRule, validateChoiceRule } from "./index.js";

interface Case {
  id: string;
  definition: { StartAt: string; States: Record<string, State> };
  input: Json;
  expected: { status: string; output?: Json };
}

const CASES_DIR = fileURLToPath(new URL("../../../shared/conformance/cases/", import.meta.url));
const load = (): Case[] =>
  readdirSync(CASES_DIR)
    .filter((f) => f.startsWith("choice_operators-") && f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(CASES_DIR + f, "utf8")) as Case);

// --- Undoing the "date" placeholder in the timestamp cases -------------------------------

const T0 = "2012-10-09T19:00:55Z";
const T1 = "2012-10-09T19:00:56Z";
const TYPE_VARS: Json[] = [null, 0, 0.0, 1, 1.1, "", " ", "2023-02-24 12:15:56.832957", [], [""], {}, { A: 0 }, false, true];
const BASE: [Json, Json][] = [
  [T0, T0],
  [T0, T1],
  [T1, T0],
];
/** (Variable, Value) per test, in the order LocalStack ran them: the case id's last number indexes it. */
const TIMESTAMP_COMPARISONS: Record<string, [Json, Json][]> = {
  test_timestamp_equals: [...TYPE_VARS.map((v): [Json, Json] => [v, T0]), ...BASE],
  test_timestamp_equals_path: BASE,
  test_timestamp_greater_than: BASE,
  test_timestamp_greater_than_equals: BASE,
  test_timestamp_less_than: BASE,
  test_timestamp_less_than_equals: BASE,
  test_timestamp_greater_than_path: [[T0, T1]],
  test_timestamp_greater_than_equals_path: [[T0, T1]],
  test_timestamp_less_than_path: [[T1, T0]],
  test_timestamp_less_than_equals_path: [[T1, T0]],
};

/** The recorded value, or "date" standing for a string that was a timestamp. */
const agrees = (recorded: Json | undefined, original: Json): boolean =>
  recorded === "date" ? typeof original === "string" : jsonEquals(recorded ?? null, original);

/** Puts the original timestamps back into a timestamp_operators case; other cases are unchanged. */
function restore(c: Case): Case {
  const m = /--(test_timestamp_\w+)--(\d+)$/.exec(c.id);
  if (!m) return c;
  const original = TIMESTAMP_COMPARISONS[m[1] as string]?.[Number(m[2])];
  if (!original || !isObject(c.input)) throw new Error(`no original values for ${c.id}`);
  const [variable, value] = original;
  if (!agrees(c.input.Variable, variable) || !agrees(c.input.Value, value)) {
    throw new Error(`${c.id}: recorded input ${JSON.stringify(c.input)} does not fit (${JSON.stringify(original)})`);
  }
  const definition = structuredClone(c.definition);
  const choice = choiceStateOf(definition.States);
  for (const rule of choice.state.Choices) {
    for (const key of Object.keys(rule)) if (rule[key] === "date") rule[key] = value;
  }
  return { ...c, definition, input: { Variable: variable, Value: value } };
}

// --- Running a case ----------------------------------------------------------------------

function choiceStateOf(states: Record<string, State>): { name: string; state: ChoiceState } {
  const found = Object.entries(states).find(([, s]) => s.Type === "Choice");
  if (!found) throw new Error("no Choice state");
  return { name: found[0], state: found[1] as ChoiceState };
}

const scopeOf = (input: Json): EvalScope => ({
  input,
  context: {},
  vars: {},
  randomness: { random: () => 0, uuid: () => "00000000-0000-4000-8000-000000000000" },
});

/** The definition problems the rules of a case's Choice state have. */
function problemsOf(c: Case): string[] {
  const { name, state } = choiceStateOf(c.definition.States);
  const diags = new Diagnostics();
  state.Choices.forEach((rule, i) => validateChoiceRule(rule, pointer("/States", name, "Choices", i), diags, true));
  return diags.items.map((d) => `${d.location}: ${d.message}`);
}

/** The state the Choice goes to: the first matching rule's Next, else Default. */
function branchOf(c: Case): string | undefined {
  const { state } = choiceStateOf(c.definition.States);
  const input = scopeOf(c.input);
  const rule = state.Choices.find((r: ChoiceRule) => compileChoiceRule(r).evaluate(input));
  return rule ? (rule.Next as string) : state.Default;
}

/** The output of the branch: these cases' branches are Pass states with a Result and End. */
function outputOf(c: Case, branch: string | undefined): Json | undefined {
  const target = branch === undefined ? undefined : c.definition.States[branch];
  return target?.Type === "Pass" ? (target.Result as JsonObject) : undefined;
}

const expectedOutput = (c: Case): Json | undefined =>
  typeof c.expected.output === "string" ? (JSON.parse(c.expected.output) as Json) : c.expected.output;

describe.skipIf(!existsSync(CASES_DIR))("choice_operators conformance cases", () => {
  const cases = existsSync(CASES_DIR) ? load() : [];

  it("finds all 338 cases", () => {
    expect(cases).toHaveLength(338);
  });

  it.each(cases.map((c) => [c.id, c] as const))("%s", (_id, recorded) => {
    const c = restore(recorded);
    expect(c.expected.status).toBe("SUCCEEDED");
    expect(problemsOf(c)).toEqual([]);
    expect(outputOf(c, branchOf(c))).toEqual(expectedOutput(c));
  });

  it("cannot tell the timestamp cases apart without their original values", () => {
    // Run verbatim, "date" is no timestamp: every comparison is false, so the three cases that
    // AWS recorded as true (their originals compare equal or greater) are the only misses.
    const misses = cases
      .filter((c) => !jsonEquals(outputOf(c, branchOf(c)) ?? null, expectedOutput(c) ?? null))
      .map((c) => c.id.replace(/^.*--(test_\w+--\d+)$/, "$1"));
    expect(misses.sort()).toEqual([
      "test_timestamp_greater_than--2",
      "test_timestamp_less_than_equals--0",
      "test_timestamp_less_than_equals--1",
    ]);
  });
});
