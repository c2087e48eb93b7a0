/**
 * Choice, Succeed, Fail and Wait: their only inspection data is their input (and
 * afterInputPath), so they run through their real compiled behaviour on the probe actor and
 * the answer is read off it. A Wait does not wait: its timer fires at once.
 */
import type { QueryLanguage, State } from "../../asl/model.js";
import { compileSelectPath } from "../../dataflow/paths.js";
import { stateErrorPrefix } from "../../errors.js";
import type { ActorData } from "../../xstate/actor-data.js";
import { EVENTS } from "../../xstate/events.js";
import { buildChoice } from "../../xstate/states/choice.js";
import { buildFail } from "../../xstate/states/fail.js";
import { buildSucceed } from "../../xstate/states/succeed.js";
import { buildWait } from "../../xstate/states/wait.js";
import { scopeOf, type CompileServices, type StateBehaviour } from "../../xstate/step.js";
import { TESTED_STATE_NAME, type StateEnding } from "../model.js";
import { succeeded, type RunArgs } from "./runner.js";

type Build = (name: string, state: never, language: QueryLanguage, services: CompileServices) => StateBehaviour;

const BUILDERS: Partial<Record<State["Type"], Build>> = { Choice: buildChoice, Succeed: buildSucceed, Fail: buildFail, Wait: buildWait };

export function runBehaviour({ tested, d, inspection, services }: RunArgs): StateEnding {
  const { state, language } = tested;
  if (language === "JSONPath") {
    try {
      inspection.afterInputPath = compileSelectPath(state.InputPath)(scopeOf(d, d.input, services));
    } catch {
      // The behaviour below fails the same way and reports it.
    }
  }
  const build = BUILDERS[state.Type];
  if (!build) throw new Error(`No behaviour runner for ${state.Type} states`);
  const behaviour = build(TESTED_STATE_NAME, state as never, language, services);
  const varsBefore = d.vars;
  behaviour.enter(d);
  if (d.waiting?.kind === "timer") behaviour.handle?.(d, { type: EVENTS.timerFired, timerId: d.waiting.timerId, seq: d.seq, now: d.now });
  return endingOf(d, d.vars !== varsBefore);
}

function endingOf(d: ActorData, assignedVariables: boolean): StateEnding {
  const assigned = assignedVariables ? d.vars : undefined;
  if (d.result?.status === "FAILED") {
    const prefix = stateErrorPrefix(d.state, d.enteredId);
    const cause = d.result.cause?.startsWith(prefix) ? d.result.cause.slice(prefix.length) : d.result.cause;
    return { status: "FAILED", ...(d.result.error !== undefined ? { error: d.result.error } : {}), ...(cause !== undefined ? { cause } : {}) };
  }
  if (d.result?.status === "SUCCEEDED") return succeeded(d.result.output, undefined, assigned);
  return succeeded(d.input, d.go ?? undefined, assigned);
}
