/**
 * Parallel (always mocked: TestState does not run branches): the branches' input is
 * computed (afterParameters / afterArguments), the mocked array of branch results flows
 * through ResultSelector/ResultPath/OutputPath or Output, a mocked error through Retry/Catch.
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html
 */
import type { ParallelState } from "../../asl/model.js";
import type { StateEnding } from "../model.js";
import { testedContext } from "../probe.js";
import { compileRecovery, failureOf, recover, type RecoveryScope } from "../recovery.js";
import { compileTracedIO } from "../traced-io.js";
import { succeeded, type RunArgs } from "./runner.js";

export function runParallel({ tested, d, run, inspection, services }: RunArgs): StateEnding {
  const s = tested.state as ParallelState;
  const { language } = tested;
  const io = compileTracedIO(s, language, { parametersField: language === "JSONata" ? "Arguments" : "Parameters", defaultOutput: "result" }, services);
  const recovery = compileRecovery(s, language);
  const context = testedContext(d, run);
  const scope: RecoveryScope = { d, context, retrierRetryCount: run.retrierRetryCount, inspection, services };
  const outcome = run.mock;
  if (!outcome) throw new Error("A Parallel state is only tested with a mock (checked by mock.ts)");
  try {
    io.payload(d, io.effectiveInput(d, context, inspection), context, inspection);
    if ("error" in outcome) return recover(outcome, recovery, scope);
    const { output, assigned } = io.finish(d, outcome.result, context, inspection);
    return succeeded(output, s.End ? undefined : s.Next, assigned);
  } catch (e) {
    return recover(failureOf(e), recovery, scope);
  }
}
