/**
 * The transition graph of one scope: StartAt and every Next, Default and Catch Next name a
 * state of the same scope (a Parallel branch or Map processor cannot be left or entered),
 * every state is reachable from StartAt, and some state ends the scope (Succeed, Fail or
 * "End": true).
 * https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html
 */
import { pointer } from "../diagnostics.js";
import { isObject, type JsonObject } from "../../json.js";
import { CODES } from "./codes.js";
import type { Edge, Scope, ValidationContext } from "./context.js";
import { STATE_TYPES } from "./states/index.js";

const TERMINAL_TYPES = new Set(["Succeed", "Fail"]);

/** Checks the graph of `scope` once all its states are validated. */
export function checkGraph(ctx: ValidationContext, scope: Scope, startAt: unknown, states: JsonObject): void {
  scope.edges.forEach((edge) => checkTarget(ctx, scope, edge));
  if (typeof startAt === "string" && startAt.length > 0) {
    if (scope.names.has(startAt)) checkReachable(ctx, scope, startAt);
    else missingStart(ctx, scope, startAt);
  }
  checkTerminal(ctx, scope, states);
}

function checkTarget(ctx: ValidationContext, scope: Scope, edge: Edge): void {
  if (scope.names.has(edge.to)) return;
  const field = edge.location.slice(edge.location.lastIndexOf("/") + 1);
  const elsewhere = ctx.stateNames.get(edge.to);
  const detail = elsewhere === undefined
    ? "no state has that name"
    : `that state is defined at ${elsewhere}, in another scope: transitions cannot leave or enter a Parallel branch or Map processor`;
  ctx.diags.error(edge.location, CODES.MissingTransitionTarget, `Missing '${field}' target: '${edge.to}' (${detail}).`);
}

function missingStart(ctx: ValidationContext, scope: Scope, startAt: string): void {
  const detail = ctx.stateNames.has(startAt) ? "it is a state of another scope" : "no state has that name";
  ctx.diags.error(pointer(scope.base, "StartAt"), CODES.MissingTransitionTarget, `StartAt must name a state of these States, found '${startAt}' (${detail}).`);
}

function checkReachable(ctx: ValidationContext, scope: Scope, startAt: string): void {
  const next = new Map<string, string[]>();
  for (const edge of scope.edges) next.set(edge.from, [...(next.get(edge.from) ?? []), edge.to]);
  const seen = new Set([startAt]);
  const queue = [startAt];
  for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
    for (const to of next.get(name) ?? []) {
      if (seen.has(to) || !scope.names.has(to)) continue;
      seen.add(to);
      queue.push(to);
    }
  }
  for (const name of scope.names) {
    if (!seen.has(name)) ctx.diags.error(pointer(scope.base, "States", name), CODES.MissingTransitionTarget, `State '${name}' is not reachable from StartAt '${startAt}'.`);
  }
}

/** Skipped when a state's Type is unknown: it may be the missing terminal state. */
function checkTerminal(ctx: ValidationContext, scope: Scope, states: JsonObject): void {
  const all = Object.values(states);
  if (all.length === 0 || !all.every((s) => isObject(s) && (STATE_TYPES as string[]).includes(String(s["Type"])))) return;
  const ends = all.some((s) => isObject(s) && (TERMINAL_TYPES.has(String(s["Type"])) || s["End"] === true));
  if (!ends) {
    ctx.diags.error(pointer(scope.base, "States"), CODES.MissingEndState, "These States have no terminal state: at least one must be a Succeed or Fail state or have \"End\": true.");
  }
}
