/**
 * Checks derived from the JSONata executions recorded on AWS (../shared/conformance/cases):
 * flows made only of JSONata Pass and Fail states are replayed here with nothing but the
 * JSONata layer, and Map `Items` failures are checked against AWS's causes.
 */
import { describe, it, expect } from "vitest";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Json, JsonObject } from "../json.js";
import { compileJsonataValue, evaluateJsonataExpecting, isJsonataEvaluationError, type JsonataBindings } from "./jsonata.js";

const CASES = fileURLToPath(new URL("../../../shared/conformance/cases/", import.meta.url));

interface Case {
  readonly id: string;
  readonly definition: { StartAt: string; QueryLanguage?: string; States: Record<string, JsonObject> };
  readonly input: Json;
  readonly expected: { status: string; output?: Json; error?: string; cause?: string };
  readonly history: readonly JsonObject[];
}

const loadCases = (): Case[] =>
  existsSync(CASES)
    ? readdirSync(CASES)
        .filter((f) => f.endsWith(".json"))
        .map((f) => JSON.parse(readFileSync(CASES + f, "utf8")) as Case)
    : [];

const allCases = loadCases();
const randomness = { random: () => 0.5, uuid: () => "00000000-0000-4000-8000-000000000000" };
const bindings = (input: Json, vars: Record<string, Json>): JsonataBindings => ({ states: { input, context: {} }, vars, randomness });

/** AWS's cause without the engine's "An error occurred while executing the state ..." prefix. */
const withoutPrefix = (cause: string): string => cause.replace(/^An error occurred while executing the state '[^']*' \(entered at the event id #\d+\)\. /, "");

/** The recorded value: output and cause are often JSON text. */
const parsed = (v: Json | undefined): Json | undefined => {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v) as Json;
  } catch {
    return v;
  }
};

const languageOf = (c: Case, s: JsonObject): string => (s["QueryLanguage"] as string | undefined) ?? c.definition.QueryLanguage ?? "JSONPath";

/** Flows of JSONata Pass and Fail states only: what this layer can replay alone. */
const isPassFlow = (c: Case): boolean =>
  Object.values(c.definition.States).every((s) => (s["Type"] === "Pass" || s["Type"] === "Fail") && languageOf(c, s) === "JSONata");

interface Outcome {
  status: string;
  output?: Json;
  error?: string;
  cause?: string;
  location?: string;
}

function replay(c: Case): Outcome {
  let vars: Record<string, Json> = {};
  let data = c.input;
  let name = c.definition.StartAt;
  for (;;) {
    const s = c.definition.States[name] as JsonObject;
    const b = bindings(data, vars);
    try {
      if (s["Type"] === "Fail") return fail(s, b);
      const assigned = s["Assign"] !== undefined ? (compileJsonataValue(s["Assign"], "Assign").evaluate(b) as JsonObject) : {};
      data = s["Output"] !== undefined ? compileJsonataValue(s["Output"], "Output").evaluate(b) : data;
      vars = { ...vars, ...assigned };
    } catch (e) {
      if (!isJsonataEvaluationError(e)) throw e;
      return { status: "FAILED", error: e.error, cause: e.cause ?? "", location: e.location };
    }
    if (s["End"] === true) return { status: "SUCCEEDED", output: data };
    name = s["Next"] as string;
  }
}

function fail(s: JsonObject, b: JsonataBindings): Outcome {
  const out: Outcome = { status: "FAILED" };
  if (s["Error"] !== undefined) out.error = compileJsonataValue(s["Error"], "Error").evaluate(b) as string;
  if (s["Cause"] !== undefined) out.cause = compileJsonataValue(s["Cause"], "Cause").evaluate(b) as string;
  return out;
}

const recordedLocation = (c: Case): string | undefined => {
  const event = c.history.find((e) => e["type"] === "EvaluationFailed");
  const details = event?.["evaluationFailedEventDetails"] as JsonObject | undefined;
  return details?.["location"] as string | undefined;
};

const passFlows = allCases.filter(isPassFlow);

describe.skipIf(allCases.length === 0)("recorded JSONata Pass/Fail flows (skipped when ../shared/conformance is absent)", () => {
  it("finds the recorded cases", () => {
    expect(passFlows.length).toBeGreaterThanOrEqual(25);
  });

  it.each(passFlows.map((c) => [c.id, c] as const))("%s", (_id, c) => {
    const outcome = replay(c);
    expect(outcome.status).toBe(c.expected.status);
    if (c.expected.status === "SUCCEEDED") {
      expect(outcome.output).toEqual(parsed(c.expected.output));
      return;
    }
    if (c.expected.error !== undefined) expect(outcome.error).toBe(c.expected.error);
    if (c.expected.cause !== undefined) expect(outcome.cause).toBe(withoutPrefix(c.expected.cause));
    const location = recordedLocation(c);
    if (location !== undefined) expect(outcome.location).toBe(location);
  });
});

/** Map `Items` failures: the recorder kept the cause (and the expression in it), not the definition. */
const itemsFailures = allCases.filter((c) => /map_state_items_eval_jsonata.*fail/.test(c.id) && c.expected.cause !== undefined);

describe.skipIf(itemsFailures.length === 0)("recorded Map Items type failures", () => {
  it.each(itemsFailures.map((c) => [c.id, c] as const))("%s", (_id, c) => {
    const cause = withoutPrefix(c.expected.cause as string);
    const expression = /^The JSONata expression '(.*)' specified for the field 'Items'/.exec(cause)?.[1] as string;
    const value = /for value: (.*)$/.exec(cause)?.[1];
    const vars: Record<string, Json> = value !== undefined ? { ItemsVar: JSON.parse(value) as Json } : {};
    const compiled = compileJsonataValue(`{% ${expression} %}`, "Items");
    try {
      evaluateJsonataExpecting(compiled, bindings({}, vars), "array");
      expect.unreachable("Items should have failed");
    } catch (e) {
      if (!isJsonataEvaluationError(e)) throw e;
      expect(e.error).toBe(c.expected.error);
      expect(e.cause).toBe(cause);
      expect(e.location).toBe(recordedLocation(c));
    }
  });
});
