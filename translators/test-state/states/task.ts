/**
 * Task: https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html
 * The parameters are computed, then the work is the mock, or (without one) whatever the
 * caller's task runner answers; the result flows through ResultSelector/ResultPath/OutputPath
 * (or Output), and an error through Retry/Catch (recovery.ts).
 */
import type { TaskState } from "../../asl/model.js";
import { parseResource } from "../../dataflow/resource.js";
import type { Json } from "../../json.js";
import { checkSize } from "../../xstate/state-io.js";
import type { StateEnding, WorkOutcome } from "../model.js";
import { testedContext } from "../probe.js";
import { compileRecovery, failureOf, recover, type RecoveryScope } from "../recovery.js";
import { compileTracedIO } from "../traced-io.js";
import { succeeded, type RunArgs, type WorkRequest } from "./runner.js";

export function runTask({ tested, d, run, inspection, services }: RunArgs): StateEnding | WorkRequest {
  const s = tested.state as TaskState;
  const { language } = tested;
  const io = compileTracedIO(s, language, { parametersField: language === "JSONata" ? "Arguments" : "Parameters", defaultOutput: "result" }, services);
  const recovery = compileRecovery(s, language);
  const callback = parseResource(s.Resource).pattern === "waitForTaskToken";
  const token = callback ? services.randomness.uuid() + services.randomness.uuid().replace(/-/g, "") : undefined;
  const context = testedContext(d, run, token ? { Task: { Token: token } } : undefined);
  const scope: RecoveryScope = { d, context, retrierRetryCount: run.retrierRetryCount, inspection, services };

  let payload: Json;
  try {
    payload = io.payload(d, io.effectiveInput(d, context, inspection), context, inspection);
    checkSize(payload, "state input after Parameters");
  } catch (e) {
    return recover(failureOf(e), recovery, scope);
  }

  const settle = (outcome: WorkOutcome): StateEnding => {
    if ("error" in outcome) return recover(outcome, recovery, scope);
    try {
      inspection.result = outcome.result;
      checkSize(outcome.result);
      const { output, assigned } = io.finish(d, outcome.result, context, inspection);
      return succeeded(output, s.End ? undefined : s.Next, assigned);
    } catch (e) {
      return recover(failureOf(e), recovery, scope);
    }
  };
  if (run.mock) return settle(run.mock);
  const timeoutSeconds = typeof s.TimeoutSeconds === "number" ? s.TimeoutSeconds : undefined;
  return { kind: "invoke", resource: s.Resource, payload, timeoutSeconds, resume: settle };
}
