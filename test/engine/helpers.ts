/** Shared helpers for the engine behaviour tests: runs on virtual time and history look-ups. */
import { runDefinition, type RunOptions, type RunResult } from "../../index.js";
import type { Json } from "../../translators/json.js";
import type { HistoryEvent } from "../../translators/xstate/actor-data.js";

export const ACCOUNT = "123456789012";
export const lambdaArn = (name: string): string => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;

/** One execution on virtual time (Waits, retries and timeouts take no real time). */
export function run(definition: object, input: Json = {}, options: RunOptions = {}): Promise<RunResult> {
  return runDefinition(definition, input, { virtualTime: true, ...options });
}

/** A one-state machine around `state` (which must not set Next/End). */
export const single = (state: object, extra: object = {}): object => ({ StartAt: "S", States: { S: { ...state, End: true } }, ...extra });

/** Anything with a history: a RunResult or an engine's ExecutionResult. */
export interface WithHistory {
  readonly history: readonly HistoryEvent[];
}

export const types = (r: WithHistory): string[] => r.history.map((e) => e.type);

export const eventsOf = (r: WithHistory, type: string): HistoryEvent[] => r.history.filter((e) => e.type === type);

export function eventOf(r: WithHistory, type: string, nth = 0): HistoryEvent {
  const e = eventsOf(r, type)[nth];
  if (!e) throw new Error(`no ${type} event #${nth} in history: ${types(r).join(", ")}`);
  return e;
}

/** The `<x>EventDetails` object of an event. */
export function details(e: HistoryEvent): Record<string, Json> {
  const entry = Object.entries(e).find(([k]) => k.endsWith("EventDetails"));
  if (!entry) throw new Error(`event ${e.type} has no details`);
  return entry[1] as Record<string, Json>;
}

/** Milliseconds between two events' timestamps. */
export const gapMs = (from: HistoryEvent, to: HistoryEvent): number => to.timestamp - from.timestamp;

/** Entered events (`*StateEntered`) by state name, in order. */
export const enteredStates = (r: WithHistory): string[] =>
  r.history.filter((e) => e.type.endsWith("StateEntered")).map((e) => String(details(e)["name"]));

/** A task function that never settles. */
export const never = (): Promise<never> => new Promise<never>(() => undefined);

/** An Error whose `name` is the ASL error name. */
export function named(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}
