/**
 * Replays the recorded AWS cases whose machine is a chain of JSONPath Pass states (optionally
 * ending in a Fail state with ErrorPath/CausePath) using intrinsic calls, and compares with
 * what AWS returned, using the shared comparison in ../shared/conformance/compare.mjs.
 * The data flow is simulated here only as far as these machines need it: Parameters or
 * Result, Assign (payload templates of intrinsic calls, paths and literals), Next/End.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isObject, type Json, type JsonObject } from "../../json.js";
import { compileReference } from "../reference.js";
import type { EvalScope } from "../scope.js";
import { compileIntrinsic, isIntrinsicCall } from "./index.js";

const CASES = new URL("../../../../shared/conformance/cases/", import.meta.url);
const COMPARE = new URL("../../../../shared/conformance/compare.mjs", import.meta.url);

interface Case {
  id: string;
  definition: JsonObject;
  input: Json;
  expected: { status: string; output?: unknown; error?: string; cause?: string };
}
interface Result {
  status: string;
  output?: Json;
  error?: string;
  cause?: string;
}
type Difference = (expected: Case["expected"], result: Result) => string | null;

const randomness = { random: () => 0.5, uuid: () => "0f8fad5b-d9cb-469f-a165-70867728950e" };
const PASS_FIELDS = new Set(["Type", "Next", "End", "Comment", "Parameters", "Result", "Assign"]);
const FAIL_FIELDS = new Set(["Type", "Comment", "ErrorPath", "CausePath", "Error", "Cause"]);

/** Thrown when a case needs more than this replay simulates. */
class Unsupported extends Error {}

function contextOf(c: Case, stateName: string): JsonObject {
  return {
    Execution: { Id: "arn:aws:states:us-east-1:111111111111:execution:sm-name:run", Input: c.input, Name: "run" },
    StateMachine: { Id: "arn:aws:states:us-east-1:111111111111:stateMachine:sm-name", Name: "sm-name" },
    State: { Name: stateName, EnteredTime: "2024-01-01T00:00:00Z", RetryCount: 0 },
  };
}

/** Counts the intrinsic calls evaluated, so a case that uses none is not counted. */
let calls = 0;

function expression(text: string, scope: EvalScope): Json {
  if (isIntrinsicCall(text)) {
    calls++;
    return compileIntrinsic(text).evaluate(scope);
  }
  const value = compileReference(text).get(scope);
  if (value === undefined) throw new Unsupported(`path ${text} selects nothing`);
  return value;
}

function template(t: Json, scope: EvalScope): Json {
  if (Array.isArray(t)) return t.map((x) => template(x, scope));
  if (!isObject(t)) return t;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(t)) {
    if (k.endsWith(".$")) out[k.slice(0, -2)] = expression(String(v), scope);
    else out[k] = template(v, scope);
  }
  return out;
}

function runFail(state: JsonObject, scope: EvalScope): Result {
  const pick = (path: Json | undefined, literal: Json | undefined): string | undefined =>
    typeof path === "string" ? String(expression(path, scope)) : typeof literal === "string" ? literal : undefined;
  const result: Result = { status: "FAILED" };
  const error = pick(state.ErrorPath, state.Error);
  const cause = pick(state.CausePath, state.Cause);
  if (error !== undefined) result.error = error;
  if (cause !== undefined) result.cause = cause;
  return result;
}

/** Runs the chain of states from StartAt; throws Unsupported for anything else. */
function simulate(c: Case): Result {
  const states = c.definition.States as JsonObject;
  if (JSON.stringify(c.definition).includes("JSONata")) throw new Unsupported("JSONata");
  let name = c.definition.StartAt as string;
  let data = c.input;
  let vars: Record<string, Json> = {};
  for (;;) {
    const state = states[name];
    if (!isObject(state)) throw new Unsupported(`no state ${name}`);
    const scope: EvalScope = { input: data, context: contextOf(c, name), vars, randomness };
    const fields = state.Type === "Fail" ? FAIL_FIELDS : state.Type === "Pass" ? PASS_FIELDS : undefined;
    if (!fields || Object.keys(state).some((k) => !fields.has(k))) throw new Unsupported(`state ${name}`);
    if (state.Type === "Fail") return runFail(state, scope);
    if (state.Parameters !== undefined) data = template(state.Parameters, scope);
    if (state.Result !== undefined) data = state.Result;
    // In a Pass state, Assign's "$" is the state's result.
    if (state.Assign !== undefined) vars = { ...vars, ...(template(state.Assign, { ...scope, input: data }) as JsonObject) };
    if (state.End === true) return { status: "SUCCEEDED", output: data };
    name = state.Next as string;
  }
}

function loadCases(): Case[] {
  if (!existsSync(CASES)) return [];
  return readdirSync(CASES)
    .filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(readFileSync(new URL(f, CASES), "utf8")) as Case)
    .filter((c) => /States\.[A-Za-z0-9]+\(/.test(JSON.stringify(c.definition)));
}

/** AWS's recorder replaced MathRandom's results with this text: checked separately. */
const RANDOM_MARK = "RandomNumberGenerated";

const cases = loadCases();

describe.skipIf(cases.length === 0)("recorded AWS cases with intrinsic calls (../shared/conformance)", () => {
  it("reproduces every case this replay can run", async () => {
    const { difference } = (await import(COMPARE.href)) as { difference: Difference };
    const failures: string[] = [];
    const skipped: string[] = [];
    let covered = 0;
    for (const c of cases) {
      if (JSON.stringify(c.expected).includes(RANDOM_MARK)) continue;
      const before = calls;
      let result: Result;
      try {
        result = simulate(c);
      } catch (e) {
        if (!(e instanceof Unsupported)) throw e;
        skipped.push(`${c.id}: ${e.message}`);
        continue;
      }
      if (calls === before) continue;
      covered++;
      const diff = difference(c.expected, result);
      if (diff !== null) failures.push(`${c.id}: ${diff}`);
    }
    console.info(`intrinsic conformance: ${covered} cases reproduced, ${skipped.length} skipped`, skipped);
    expect(failures).toEqual([]);
    expect(covered).toBeGreaterThanOrEqual(94);
  });

  it("draws MathRandom results from [start, end) in the recorded MathRandom cases", () => {
    const randomCases = cases.filter((c) => JSON.stringify(c.expected).includes(RANDOM_MARK));
    expect(randomCases.length).toBeGreaterThan(0);
    for (const c of randomCases) {
      const { fst, snd } = (c.input as { FunctionInput: { fst: number; snd: number } }).FunctionInput;
      for (const r of [0, 0.999999]) {
        const scope: EvalScope = { input: c.input, context: {}, vars: {}, randomness: { ...randomness, random: () => r } };
        const value = compileIntrinsic("States.MathRandom($.FunctionInput.fst, $.FunctionInput.snd)").evaluate(scope);
        expect(Number.isInteger(value)).toBe(true);
        expect(value).toBeGreaterThanOrEqual(Math.round(fst));
        expect(value).toBeLessThan(Math.round(snd));
      }
    }
  });
});
