/**
 * What a JSONata evaluation runs with, as part of the `jsonata.ts` gateway (it uses the library's
 * extension points, `registerFunction`, `assign`, the `this` of a registered function and the
 * `__evaluate_entry` hook, but never imports it):
 * - the bindings passed to `evaluate`: workflow variables, `$states`, per-evaluation state;
 * - Step Functions' functions, registered once per parsed expression, and the standard ones
 *   AWS removes (`$eval`) or that must not read the clock or Math.random (`$now`, `$millis`,
 *   `$random`, `$shuffle`).
 * https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html#jsonata-functions-provided-by-sfn
 */
import type { Json, JsonObject } from "../json.js";
import { isObject } from "../json.js";
import { hash, parseJson, partition, range, seededRandom, shuffle } from "./jsonata-functions.js";
import type { JsonataBindings } from "./jsonata-types.js";
import type { Randomness } from "./scope.js";

/** The bindings object handed to the library's `evaluate(input, bindings)`. */
export type Environment = Record<string, unknown>;

/**
 * Runaway guards, as the library's "timebox" (which AWS runs, by third-party measurement: it
 * refuses `1+1+...+1` past 100 terms and a non-tail recursion nested past 100 levels, exactly
 * where this count of nested nodes passes 100). AWS bounds time; we bound the number of nodes
 * evaluated instead, which is deterministic (2,000,000 is a few seconds here).
 */
export const MAX_DEPTH = 100;
export const STEP_LIMIT = 2_000_000;

interface Runtime {
  readonly randomness: Randomness;
  readonly now: number;
  depth: number;
  steps: number;
}

/** No `$name` can spell a name with a space, so expressions cannot read or shadow this binding. */
const RUNTIME = "aslan runtime";

export function prepareEnvironment(bindings: JsonataBindings): Environment {
  const runtime: Runtime = { randomness: bindings.randomness, now: nowOf(bindings), depth: 0, steps: 0 };
  return {
    ...bindings.vars,
    // The library calls these before and after it evaluates each node of the expression.
    __evaluate_entry: () => enterNode(runtime),
    __evaluate_exit: () => void runtime.depth--,
    states: statesOf(bindings),
    [RUNTIME]: runtime,
  };
}

function enterNode(runtime: Runtime): void {
  if (++runtime.depth > MAX_DEPTH) {
    throw new Error(
      `Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive. Depth=${runtime.depth} max=${MAX_DEPTH}`,
    );
  }
  // The library's wording for the same runaway, reached here by counting instead of timing.
  if (++runtime.steps > STEP_LIMIT) throw new Error("Expression evaluation timeout: Check for infinite loop");
}

/**
 * A copy of the environment whose data the library may write to. A path ending in `[]` marks the
 * array it returns with a `keepSingleton` property, and when that array comes straight from the
 * input or a variable, the marker would stay on the engine's data.
 */
export function isolateData(env: Environment): Environment {
  const out: Environment = {};
  for (const [key, value] of Object.entries(env)) {
    out[key] = key === RUNTIME || typeof value !== "object" || value === null ? value : structuredClone(value);
  }
  return out;
}

/** `$states` with only the members present. */
function statesOf({ states }: JsonataBindings): JsonObject {
  const out: JsonObject = { input: states.input, context: states.context };
  if (states.result !== undefined) out["result"] = states.result;
  if (states.errorOutput !== undefined) out["errorOutput"] = states.errorOutput;
  return out;
}

/** The injected time, else when the state was entered, else when the execution started. */
function nowOf({ now, states }: JsonataBindings): number {
  if (now !== undefined) return now;
  const state = states.context["State"];
  const execution = states.context["Execution"];
  return timeOf(isObject(state) ? state["EnteredTime"] : undefined) ?? timeOf(isObject(execution) ? execution["StartTime"] : undefined) ?? 0;
}

const timeOf = (v: Json | undefined): number | undefined => {
  const ms = typeof v === "string" ? Date.parse(v) : NaN;
  return Number.isNaN(ms) ? undefined : ms;
};

/** The `this` the library gives a registered function. */
interface Focus {
  readonly environment: { lookup(name: string): unknown };
}

// `any[]` as in the library's own typing: the signature string, not TypeScript, checks arguments.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Implementation = (this: Focus, ...args: any[]) => unknown;

/** The library's Expression, as far as registering functions goes. */
export interface FunctionRegistry {
  registerFunction(name: string, implementation: Implementation, signature?: string): void;
  assign(name: string, value: unknown): void;
}

/** The library's own `$fromMillis`, which formats `$now(picture, timezone)`. */
export type FromMillis = (millis: number, picture?: string, timezone?: string) => string | undefined;

const runtimeOf = (focus: Focus): Runtime => focus.environment.lookup(RUNTIME) as Runtime;

/** The library collapses a one-item sequence to the item, and an empty one to undefined. */
const asSequence = (items: number[] | undefined): number[] | undefined =>
  items === undefined ? undefined : Object.assign(items, { sequence: true });

export function registerStepFunctionsFunctions(registry: FunctionRegistry, fromMillis: FromMillis): void {
  // AWS: "$eval is not supported"; bound to nothing, a call fails with T1006.
  registry.assign("eval", undefined);
  registry.registerFunction("partition", (array: unknown, size?: number) => partition(array, size), "<xn:a>");
  // AWS's $range answers a sequence: $range(1, 9, 9) is 1, not [1] (recorded case).
  registry.registerFunction("range", (a?: number, b?: number, step?: number) => asSequence(range(a, b, step)), "<nnn?:a<n>>");
  registry.registerFunction("hash", (value?: string, algorithm?: string) => hash(value, algorithm), "<ss?:s>");
  registry.registerFunction("parse", (text?: string) => parseJson(text), "<s:x>");
  registry.registerFunction("random", randomFn, "<n?:n>");
  registry.registerFunction("uuid", function (this: Focus) {
    return runtimeOf(this).randomness.uuid();
  }, "<:s>");
  registry.registerFunction("shuffle", shuffleFn, "<a:a>");
  registry.registerFunction("now", function (this: Focus, picture?: string, timezone?: string) {
    return fromMillis(runtimeOf(this).now, picture, timezone);
  }, "<s?s?:s>");
  registry.registerFunction("millis", function (this: Focus) {
    return runtimeOf(this).now;
  }, "<:n>");
}

function randomFn(this: Focus, seed?: number): number {
  return seed === undefined ? runtimeOf(this).randomness.random() : seededRandom(seed);
}

function shuffleFn(this: Focus, items?: unknown[]): unknown[] | undefined {
  if (items === undefined) return undefined;
  const { randomness } = runtimeOf(this);
  return shuffle(items, () => randomness.random());
}
