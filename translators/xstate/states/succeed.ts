/** Succeed: https://docs.aws.amazon.com/step-functions/latest/dg/state-succeed.html */
import type { QueryLanguage, SucceedState } from "../../asl/model.js";
import { raise, toFailure } from "../error-handling.js";
import { compileStateIO } from "../state-io.js";
import { enterState, exitState, type CompileServices, type StateBehaviour } from "../step.js";

export function buildSucceed(name: string, s: SucceedState, language: QueryLanguage, services: CompileServices): StateBehaviour {
  const io = compileStateIO(s, language, { defaultOutput: "input" });
  return {
    name,
    type: "Succeed",
    targets: [],
    enter(d) {
      enterState(d, "Succeed");
      try {
        const { output } = io.finish(d, io.effectiveInput(d, services), services);
        exitState(d, "Succeed", output, undefined);
      } catch (e) {
        raise(d, toFailure(d, e), services);
      }
    },
  };
}
