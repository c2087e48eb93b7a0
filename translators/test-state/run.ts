/**
 * Runs the state under test once, on a probe actor, and says how it ended. Each state type
 * has its runner (states/); a Task without a mock stops halfway and hands its parameters to
 * the caller (effects as data, STYLE.md 4), which resumes it with the outcome.
 */
import type { StateType } from "../asl/model.js";
import type { CompileServices } from "../xstate/step.js";
import type { Inspection, StateEnding, TestedState, TestResult, TestRun, TestStep } from "./model.js";
import { probeActor } from "./probe.js";
import { runBehaviour } from "./states/behaviour.js";
import { runMap } from "./states/map.js";
import { runParallel } from "./states/parallel.js";
import { runPass } from "./states/pass.js";
import type { Runner } from "./states/runner.js";
import { runTask } from "./states/task.js";

const RUNNERS = {
  Pass: runPass,
  Task: runTask,
  Choice: runBehaviour,
  Wait: runBehaviour,
  Succeed: runBehaviour,
  Fail: runBehaviour,
  Map: runMap,
  Parallel: runParallel,
} satisfies Record<StateType, Runner>;

export function startTestState(tested: TestedState, run: TestRun, services: CompileServices): TestStep {
  const inspection: Inspection = { input: run.input };
  const step = RUNNERS[tested.state.Type]({ tested, d: probeActor(tested, run), run, inspection, services });
  if ("kind" in step) {
    const { resource, payload, timeoutSeconds } = step;
    return { kind: "invoke", resource, payload, timeoutSeconds, resume: (outcome) => resultOf(step.resume(outcome), run, inspection) };
  }
  return { kind: "done", ...resultOf(step, run, inspection) };
}

/** Attaches the variables after the state: the request's, with what the state assigned. */
function resultOf(ending: StateEnding, run: TestRun, inspection: Inspection): TestResult {
  const { assigned, ...rest } = ending;
  const variables = { ...run.variables, ...assigned };
  if (Object.keys(variables).length > 0) inspection.variables = variables;
  return { ...rest, inspection };
}
